'use client';
import { useActionState, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { buttonClass } from '@/components/ui/button';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/limits';
import { changePasswordAction } from './actions';
import type { ChangePasswordErrorCode, ChangePasswordFormState } from './form-state';

type Field = 'currentPassword' | 'newPassword' | 'confirmPassword';

/** The field an error is about: marked invalid, described by the message, and focused. */
const FIELD_OF: Record<ChangePasswordErrorCode, Field | null> = {
  current_password_required: 'currentPassword',
  wrong_current_password: 'currentPassword',
  password_too_short: 'newPassword',
  password_too_long: 'newPassword',
  password_unchanged: 'newPassword',
  password_mismatch: 'confirmPassword',
  too_many_attempts: null,
  no_password: null,
  unknown: null,
};

const EMPTY: Record<Field, string> = { currentPassword: '', newPassword: '', confirmPassword: '' };

const inputClass =
  'block w-full rounded-lg border border-line bg-bg px-3 py-2 text-sm text-fg shadow-xs outline-none ' +
  'placeholder:text-fg-faint focus:border-accent focus:ring-2 focus:ring-accent/20 aria-invalid:border-red-500';
const labelClass = 'mb-1.5 block text-sm font-medium text-fg';

/** `email` is the signed-in user's, for password managers only (the server takes the user from the session). */
export function ChangePasswordForm({ email }: { email: string }) {
  const { t } = useI18n();
  const [state, formAction, pending] = useActionState(changePasswordAction, { status: 'idle' } as ChangePasswordFormState);
  const id = useId();
  // Controlled, so a refused attempt keeps what was typed (React resets uncontrolled fields after an action).
  const [values, setValues] = useState(EMPTY);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const invalid = state.status === 'error' ? FIELD_OF[state.error] : null;
  const messageId = `${id}-message`;

  useEffect(() => {
    if (state.status === 'success') setValues(EMPTY);
    else if (state.status === 'error') {
      const field = FIELD_OF[state.error];
      if (field) inputs.current[field]?.focus();
    }
  }, [state]);

  const input = (name: Field, label: string, autoComplete: string, hint?: string) => {
    const inputId = `${id}-${name}`;
    const hintId = `${inputId}-hint`;
    const describedBy = [invalid === name ? messageId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
    return (
      <div>
        <label htmlFor={inputId} className={labelClass}>
          {label}
        </label>
        <input
          ref={(el) => {
            inputs.current[name] = el;
          }}
          id={inputId}
          name={name}
          type="password"
          autoComplete={autoComplete}
          required
          maxLength={PASSWORD_MAX_LENGTH}
          value={values[name]}
          onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
          aria-invalid={invalid === name || undefined}
          aria-describedby={describedBy}
          className={inputClass}
        />
        {hint ? (
          <p id={hintId} className="mt-1.5 text-xs text-fg-faint">
            {hint}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form action={formAction} noValidate>
      {/* Always present (an empty live region takes no room), so screen readers announce the message. */}
      <div role="status" className="[&:not(:empty)]:mb-4">
        {state.status === 'success' ? (
          <p className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900/60 dark:bg-emerald-950/40 dark:text-emerald-300">
            {t('account.password.success')}
          </p>
        ) : null}
      </div>
      <div className="space-y-4">
        {state.status === 'error' ? (
          <p
            id={messageId}
            role="alert"
            className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300"
          >
            {t(`account.password.errors.${state.error}`, {
              min: PASSWORD_MIN_LENGTH,
              max: PASSWORD_MAX_LENGTH,
              seconds: state.retryAfterSeconds ?? 60,
            })}
          </p>
        ) : null}
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        {input('currentPassword', t('account.password.current'), 'current-password')}
        {input('newPassword', t('account.password.new'), 'new-password', t('account.password.hint', { min: PASSWORD_MIN_LENGTH }))}
        {input('confirmPassword', t('account.password.confirm'), 'new-password')}
        <button type="submit" disabled={pending} aria-busy={pending} className={buttonClass('primary', 'md')}>
          {t('account.password.submit')}
        </button>
      </div>
    </form>
  );
}

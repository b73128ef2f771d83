'use client';
import { useActionState, useId } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/limits';
import type { AuthFormState } from './form-state';

interface Props {
  mode: 'sign-in' | 'sign-up';
  action: (previous: AuthFormState, form: FormData) => Promise<AuthFormState>;
  callbackUrl: string;
  /** An invitation link's token (sign-up only). */
  invite?: string;
}

const inputClass =
  'block w-full rounded-lg border border-line bg-bg px-3 py-2 text-sm text-fg shadow-xs outline-none ' +
  'placeholder:text-fg-faint focus:border-accent focus:ring-2 focus:ring-accent/20 aria-invalid:border-red-500';
const labelClass = 'mb-1.5 block text-sm font-medium text-fg';

export function AuthForm({ mode, action, callbackUrl, invite }: Props) {
  const { t } = useI18n();
  const [state, formAction, pending] = useActionState(action, {});
  const id = useId();
  const signUp = mode === 'sign-up';
  const hintId = `${id}-hint`;

  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {invite && <input type="hidden" name="invite" value={invite} />}
      {state.error && (
        <p
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300"
        >
          {t(`auth.errors.${state.error}`, {
            min: PASSWORD_MIN_LENGTH,
            max: state.error === 'name_too_long' ? NAME_MAX_LENGTH : PASSWORD_MAX_LENGTH,
            seconds: state.retryAfterSeconds ?? 60,
          })}
        </p>
      )}
      {signUp && (
        <div>
          <label htmlFor={`${id}-name`} className={labelClass}>
            {t('auth.fields.name')} <span className="font-normal text-fg-faint">({t('auth.fields.optional')})</span>
          </label>
          <input id={`${id}-name`} name="name" type="text" autoComplete="name" maxLength={NAME_MAX_LENGTH} className={inputClass} />
        </div>
      )}
      <div>
        <label htmlFor={`${id}-email`} className={labelClass}>
          {t('auth.fields.email')}
        </label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete={signUp ? 'email' : 'username'}
          required
          defaultValue={state.email}
          aria-invalid={state.error === 'invalid_email' || state.error === 'sign_up_failed' || undefined}
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor={`${id}-password`} className={labelClass}>
          {t('auth.fields.password')}
        </label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete={signUp ? 'new-password' : 'current-password'}
          required
          minLength={signUp ? PASSWORD_MIN_LENGTH : undefined}
          maxLength={PASSWORD_MAX_LENGTH}
          aria-describedby={signUp ? hintId : undefined}
          aria-invalid={state.error === 'password_too_short' || state.error === 'password_too_long' || undefined}
          className={inputClass}
        />
        {signUp && (
          <p id={hintId} className="mt-1.5 text-xs text-fg-faint">
            {t('auth.fields.passwordHint', { min: PASSWORD_MIN_LENGTH })}
          </p>
        )}
      </div>
      <button
        type="submit"
        disabled={pending}
        aria-busy={pending}
        className="w-full rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white shadow-sm transition hover:bg-accent-strong disabled:cursor-wait disabled:opacity-60"
      >
        {signUp ? t('auth.signUp.submit') : t('auth.signIn.submit')}
      </button>
    </form>
  );
}

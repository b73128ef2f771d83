'use client';
import { useActionState, useId } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/limits';
import type { ResetFormState } from '../actions';

const inputClass =
  'block w-full rounded-lg border border-line bg-bg px-3 py-2 text-sm text-fg shadow-xs outline-none ' +
  'placeholder:text-fg-faint focus:border-accent focus:ring-2 focus:ring-accent/20';

export function ResetForm({ token, action }: { token: string; action: (previous: ResetFormState, form: FormData) => Promise<ResetFormState> }) {
  const { t } = useI18n();
  const [state, formAction, pending] = useActionState(action, {});
  const id = useId();
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      {state.error && (
        <p
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300"
        >
          {t(`auth.errors.${state.error}`, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })}
        </p>
      )}
      <div>
        <label htmlFor={`${id}-new`} className="mb-1.5 block text-sm font-medium text-fg">
          {t('auth.reset.newPassword')}
        </label>
        <input
          id={`${id}-new`}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={PASSWORD_MAX_LENGTH}
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor={`${id}-confirm`} className="mb-1.5 block text-sm font-medium text-fg">
          {t('auth.reset.confirmPassword')}
        </label>
        <input
          id={`${id}-confirm`}
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          maxLength={PASSWORD_MAX_LENGTH}
          className={inputClass}
        />
      </div>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white shadow-sm transition hover:bg-accent-strong disabled:cursor-wait disabled:opacity-60"
      >
        {t('auth.reset.submit')}
      </button>
    </form>
  );
}

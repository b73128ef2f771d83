import type { account } from '@/lib/i18n/messages/en/account';

export type ChangePasswordErrorCode = keyof typeof account.password.errors;

/** What the change-password action hands back to its form. Never a password. */
export type ChangePasswordFormState =
  | { status: 'idle' }
  | { status: 'success' }
  | { status: 'error'; error: ChangePasswordErrorCode; retryAfterSeconds?: number };

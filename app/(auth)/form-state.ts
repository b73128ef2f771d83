import type { auth } from '@/lib/i18n/messages/en/auth';

export type AuthErrorCode = keyof typeof auth.errors;

/** What the sign-in and sign-up actions hand back to their form. */
export interface AuthFormState {
  error?: AuthErrorCode;
  /** Echoed so the email field keeps its value after a failed attempt; never the password. */
  email?: string;
  /** With `too_many_attempts`: seconds until the next attempt is allowed. */
  retryAfterSeconds?: number;
}

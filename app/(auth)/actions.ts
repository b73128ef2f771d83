'use server';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AuthError, CredentialsSignin } from 'next-auth';
import type { z } from 'zod';
import { signIn } from '@/lib/auth';
import { OIDC_PROVIDER_ID } from '@/lib/auth/oidc-provider';
import { type ResetError, resetPasswordWithLink } from '@/lib/auth/password-reset';
import { safeCallbackPath } from '@/lib/auth/redirects';
import { signInSchema, signUpSchema } from '@/lib/auth/schemas';
import { grantSignIn } from '@/lib/auth/sign-in-grant';
import { EmailTakenError, SignUpRefusedError, signUpUser } from '@/lib/auth/users';
import { config } from '@/lib/config';
import { checkSignUpRateLimit } from '@/lib/ratelimit';
import { clientIp } from '@/lib/security/client-ip';
import type { AuthErrorCode, AuthFormState } from './form-state';

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function errorForIssue(issue: z.core.$ZodIssue | undefined): AuthErrorCode {
  switch (issue?.path[0]) {
    case 'email':
      return 'invalid_email';
    case 'password':
      return issue.code === 'too_big' ? 'password_too_long' : 'password_too_short';
    case 'name':
      return 'name_too_long';
    default:
      return 'unknown';
  }
}

/**
 * Signs in through Auth.js, which sets the session cookie. `redirect: false` returns instead of redirecting,
 * so we go to our own sanitized relative path (Auth.js would name an absolute URL built from the Host
 * header). A failed check arrives as a CredentialsSignin carrying our code (lib/auth/config.ts).
 */
async function signInAndRedirect(email: string, password: string, redirectTo: string, grant?: string): Promise<AuthFormState> {
  try {
    await signIn('credentials', { email, password, redirect: false, ...(grant ? { grant } : {}) });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    if (error instanceof CredentialsSignin && error.code === 'account_disabled') return { error: 'account_disabled', email };
    if (error instanceof CredentialsSignin && error.code === 'too_many_attempts') {
      const wait = (error as CredentialsSignin & { retryAfterSeconds?: number }).retryAfterSeconds;
      return { error: 'too_many_attempts', email, retryAfterSeconds: typeof wait === 'number' ? wait : 60 };
    }
    if (error instanceof CredentialsSignin) return { error: 'invalid_credentials', email };
    console.error('sign-in failed', error);
    return { error: 'unknown', email };
  }
  redirect(redirectTo);
}

export async function signInAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = field(form, 'email');
  if (!config().auth.passwordSignIn) return { error: 'password_sign_in_off', email };
  const input = signInSchema.safeParse({ email, password: field(form, 'password') });
  if (!input.success) {
    return { error: input.error.issues[0]?.path[0] === 'email' ? 'invalid_email' : 'invalid_credentials', email };
  }
  // The sign-in limits are counted where the password is checked (lib/auth/config.ts's authorize).
  return signInAndRedirect(input.data.email, input.data.password, safeCallbackPath(field(form, 'callbackUrl')));
}

export async function signUpAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = field(form, 'email');
  if (!config().auth.passwordSignIn) return { error: 'password_sign_in_off', email };
  const input = signUpSchema.safeParse({ email, password: field(form, 'password'), name: field(form, 'name') });
  if (!input.success) return { error: errorForIssue(input.error.issues[0]), email };
  const wait = await checkSignUpRateLimit(clientIp(await headers()));
  if (wait !== null) return { error: 'too_many_attempts', email, retryAfterSeconds: wait };
  const callbackUrl = safeCallbackPath(field(form, 'callbackUrl'));
  try {
    // The sign-up policy decides (lib/auth/signup-policy.ts): refused with its reason, or a pending account.
    const invite = field(form, 'invite');
    await signUpUser(input.data, invite ? { invitation: invite } : {});
  } catch (error) {
    if (error instanceof SignUpRefusedError) return { error: error.reason, email };
    if (!(error instanceof EmailTakenError)) throw error;
    // The address has an account. Saying so would tell anyone which addresses have accounts. Its owner
    // wants to be signed in: the password given is checked as any sign-in (rate-limited, same timing);
    // anyone else gets the same neutral answer whether the address is taken or the password wrong.
    const signedIn = await signInAndRedirect(input.data.email, input.data.password, callbackUrl);
    return signedIn.error === 'invalid_credentials' ? { error: 'sign_up_failed', email } : signedIn;
  }
  // The new account's first sign-in: sign-up has its own limit, this is not a guess (lib/auth/sign-in-grant.ts).
  return signInAndRedirect(input.data.email, input.data.password, callbackUrl, grantSignIn(input.data.email));
}

/** The single-sign-on button: Auth.js redirects to the issuer (PKCE, state, nonce) and back to `callbackUrl`. */
export async function ssoSignInAction(form: FormData): Promise<void> {
  if (!config().auth.oidc) redirect('/sign-in');
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeCallbackPath(field(form, 'callbackUrl')) });
}

export interface ResetFormState {
  error?: ResetError;
}

/**
 * The password-reset link's form: the token comes from the link, the user from the token (never from the
 * form). On success every session of the user has ended; this browser is signed in afresh.
 */
export async function resetPasswordAction(_previous: ResetFormState, form: FormData): Promise<ResetFormState> {
  const password = field(form, 'password');
  const result = await resetPasswordWithLink(field(form, 'token'), password, field(form, 'confirmPassword'));
  if (!result.ok) return { error: result.error };
  const signedIn = await signInAndRedirect(result.email, password, '/', grantSignIn(result.email));
  return signedIn.error ? { error: 'reset_invalid' } : {};
}

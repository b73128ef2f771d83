'use server';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AuthError } from 'next-auth';
import { signIn, signOut } from '@/lib/auth';
import { changePassword } from '@/lib/auth/change-password';
import { invalidateUserSessions, requireUser } from '@/lib/auth/session';
import { grantSignIn } from '@/lib/auth/sign-in-grant';
import { clientIp } from '@/lib/security/client-ip';
import type { ChangePasswordFormState } from './form-state';

const SIGN_IN_AGAIN = '/sign-in?callbackUrl=%2Faccount';

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * The account page's password change. The user comes from the session cookie (never the form); the change
 * ends every session of the user, this one included, so this browser is then signed in afresh with the new
 * password (Auth.js sets the new cookie on this response).
 */
export async function changePasswordAction(_previous: ChangePasswordFormState, form: FormData): Promise<ChangePasswordFormState> {
  const user = await requireUser('/account');
  const newPassword = field(form, 'newPassword');
  const result = await changePassword(
    user.id,
    { currentPassword: field(form, 'currentPassword'), newPassword, confirmPassword: field(form, 'confirmPassword') },
    { clientIp: clientIp(await headers()) },
  );
  if (!result.ok) {
    if (result.error === 'account_unavailable') redirect(SIGN_IN_AGAIN);
    return { status: 'error', error: result.error, retryAfterSeconds: result.retryAfterSeconds };
  }
  try {
    // redirect: false, as on the sign-in page: stay here and show the result.
    // With a grant: the change already counted its password check against the sign-in limits.
    await signIn('credentials', { email: result.email, password: newPassword, redirect: false, grant: grantSignIn(result.email) });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    // Changed, but this browser could not be signed in again (e.g. disabled a moment later): sign in anew.
    console.error('password changed, but the fresh sign-in failed', error);
    redirect(SIGN_IN_AGAIN);
  }
  return { status: 'success' };
}

/**
 * "Sign out everywhere": ends every session of the user — other devices and this browser — by bumping
 * sessionVersion (every token carries the old one), then clears this browser's cookie and goes to sign-in.
 */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await requireUser('/account');
  await invalidateUserSessions(user.id);
  await signOut({ redirect: false });
  redirect('/sign-in');
}

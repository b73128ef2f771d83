// Changing one's own password (the account page). The new hash and the sessionVersion bump are one UPDATE,
// so there is no moment where the new password works while old sessions still do; then this process's cached
// user row is dropped, so it refuses the old tokens on their next request. Other instances notice within
// their user cache's lifetime (lib/auth/session.ts, 5 s). Keeping the caller's own browser signed in (a
// fresh session) is the caller's job: it needs the request, which this module does not.
import 'server-only';
import type { z } from 'zod';
import { db, Prisma } from '@/lib/db';
import { checkPasswordChangeRateLimit } from '@/lib/ratelimit';
import { hashPassword, verifyPassword } from './password';
import { type ChangePasswordInput, changePasswordSchema } from './schemas';
import { forgetCachedUser } from './session';

export type { ChangePasswordInput } from './schemas';

/** Why a change was refused; each has its own message (lib/i18n/messages/<lang>/account.ts). */
export type ChangePasswordError =
  | 'current_password_required'
  | 'wrong_current_password'
  /** A single-sign-on account: it has no password to change. */
  | 'no_password'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_mismatch'
  | 'password_unchanged'
  | 'too_many_attempts';

export type ChangePasswordResult =
  | { ok: true; email: string; sessionVersion: number }
  | { ok: false; error: ChangePasswordError; retryAfterSeconds?: number }
  /** The user no longer exists or was disabled: their session is over, there is nothing to change. */
  | { ok: false; error: 'account_unavailable' };

function errorForIssue(issue: z.core.$ZodIssue | undefined): ChangePasswordError {
  switch (issue?.path[0]) {
    case 'currentPassword':
      // Longer than any password we accept cannot be the current one.
      return issue.code === 'too_big' ? 'wrong_current_password' : 'current_password_required';
    case 'newPassword':
      if (issue.code === 'custom') return 'password_unchanged';
      return issue.code === 'too_big' ? 'password_too_long' : 'password_too_short';
    default:
      return 'password_mismatch';
  }
}

/**
 * Changes the password of `userId` (taken from the session by the caller, never from the form) when
 * `currentPassword` is right, and ends every session of the user. Input problems are reported before the
 * rate limit is spent; the current-password check shares the sign-in limits (per address and per email).
 */
export async function changePassword(userId: string, input: ChangePasswordInput, { clientIp }: { clientIp: string }): Promise<ChangePasswordResult> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: errorForIssue(parsed.error.issues[0]) };
  const { currentPassword, newPassword } = parsed.data;

  const prisma = await db();
  const row = await prisma.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true, disabled: true } });
  if (!row || row.disabled) return { ok: false, error: 'account_unavailable' };

  const wait = await checkPasswordChangeRateLimit(clientIp, row.email);
  if (wait !== null) return { ok: false, error: 'too_many_attempts', retryAfterSeconds: wait };
  if (row.passwordHash === null) return { ok: false, error: 'no_password' };
  if (!(await verifyPassword(currentPassword, row.passwordHash))) return { ok: false, error: 'wrong_current_password' };

  const passwordHash = await hashPassword(newPassword);
  try {
    const updated = await prisma.user.update({
      // Only if nothing moved since the check: of two concurrent changes one wins, and disabling wins too.
      where: { id: userId, passwordHash: row.passwordHash, disabled: false },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: { email: true, sessionVersion: true },
    });
    return { ok: true, email: updated.email, sessionVersion: updated.sessionVersion };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025')) throw error;
    const now = await prisma.user.findUnique({ where: { id: userId }, select: { disabled: true } });
    return !now || now.disabled ? { ok: false, error: 'account_unavailable' } : { ok: false, error: 'wrong_current_password' };
  } finally {
    // After the UPDATE (or its failure): the next request of any of the user's sessions reads the row again.
    forgetCachedUser(userId);
  }
}

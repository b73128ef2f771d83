// Using an admin-made password-reset link: the link is claimed (once), the new hash and a bumped
// sessionVersion are written in one transaction — so every session of the user ends, as a password change
// does — and this process forgets its cached user row. Making links is lib/admin/access.ts.
import 'server-only';
import { db } from '@/lib/db';
import { hashLinkToken, looksLikeLinkToken } from './link-token';
import { hashPassword } from './password';
import { newPasswordSchema } from './schemas';
import { forgetCachedUser } from './session';

export type ResetError = 'reset_invalid' | 'reset_used' | 'reset_expired' | 'password_too_short' | 'password_too_long' | 'password_mismatch';
export type ResetResult = { ok: true; email: string } | { ok: false; error: ResetError };

class Refused extends Error {
  constructor(readonly error: ResetError) {
    super(error);
  }
}

export async function resetPasswordWithLink(token: string, password: string, confirm: string): Promise<ResetResult> {
  const parsed = newPasswordSchema.safeParse(password);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.code === 'too_big' ? 'password_too_long' : 'password_too_short' };
  if (password !== confirm) return { ok: false, error: 'password_mismatch' };
  if (!looksLikeLinkToken(token)) return { ok: false, error: 'reset_invalid' };
  const passwordHash = await hashPassword(password);
  const prisma = await db();
  let userId: string | undefined;
  try {
    const email = await prisma.$transaction(async (tx) => {
      const row = await tx.passwordReset.findUnique({
        where: { tokenHash: hashLinkToken(token) },
        include: { user: { select: { disabled: true } } },
      });
      const now = new Date();
      if (!row || row.user.disabled) throw new Refused('reset_invalid');
      if (row.usedAt) throw new Refused('reset_used');
      if (row.expiresAt <= now) throw new Refused('reset_expired');
      const claimed = await tx.passwordReset.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) throw new Refused('reset_used');
      userId = row.userId;
      const user = await tx.user.update({
        where: { id: row.userId },
        data: { passwordHash, sessionVersion: { increment: 1 } },
        select: { email: true },
      });
      return user.email;
    });
    return { ok: true, email };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, error: error.error };
    throw error;
  } finally {
    if (userId) forgetCachedUser(userId);
  }
}

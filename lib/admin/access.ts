// Invitations (single use, expiring, with the role to grant) and password-reset links, made and revoked
// by admins. Each change writes its audit row in the same transaction. The link's secret is returned once;
// only its SHA-256 is stored (lib/auth/link-token.ts).
import { z } from 'zod';
import { newLinkToken } from '@/lib/auth/link-token';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import type { PrismaClient } from '@/lib/db/generated/client';

export const invitationCreateSchema = z.object({
  role: z.enum(['user', 'admin']).default('user'),
  /** How long the link works: 1 hour to 30 days. */
  days: z.coerce
    .number()
    .min(1 / 24)
    .max(30)
    .default(7),
  note: z.string().trim().max(200).default(''),
});
export type InvitationCreate = z.infer<typeof invitationCreateSchema>;

export const RESET_LINK_HOURS = 24;

export interface InvitationRow {
  id: string;
  role: 'user' | 'admin';
  note: string;
  createdAt: Date;
  expiresAt: Date;
  state: 'open' | 'used' | 'expired' | 'revoked';
}

export async function createInvitation(prisma: PrismaClient, input: InvitationCreate, actor: AuditActor): Promise<{ id: string; token: string }> {
  const { token, hash } = newLinkToken();
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.invitation.create({ data: { tokenHash: hash, role: input.role, note: input.note, createdById: actor.id, expiresAt } });
    await writeAudit(tx, actor, {
      kind: 'invitation.created',
      target: `invitation:${created.id}`,
      targetLabel: input.note,
      before: null,
      after: { role: input.role, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { id: row.id, token };
}

/** Withdraws an unused invitation. */
export async function revokeInvitation(prisma: PrismaClient, id: string, actor: AuditActor): Promise<'ok' | 'not_found' | 'already_closed'> {
  return prisma.$transaction(async (tx) => {
    const row = await tx.invitation.findUnique({ where: { id } });
    if (!row) return 'not_found';
    const changed = await tx.invitation.updateMany({ where: { id, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    if (changed.count !== 1) return 'already_closed';
    await writeAudit(tx, actor, { kind: 'invitation.revoked', target: `invitation:${id}`, targetLabel: row.note, before: 'open', after: 'revoked' });
    return 'ok';
  });
}

export async function listInvitations(prisma: PrismaClient, limit = 100): Promise<InvitationRow[]> {
  const now = new Date();
  const rows = await prisma.invitation.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    note: r.note,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    state: r.revokedAt ? 'revoked' : r.usedAt ? 'used' : r.expiresAt <= now ? 'expired' : 'open',
  }));
}

/** A one-time link for `userId` to set a new password (24 hours). Null: no such user. */
export async function createPasswordResetLink(prisma: PrismaClient, userId: string, actor: AuditActor): Promise<string | null> {
  const { token, hash } = newLinkToken();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user) return null;
    const expiresAt = new Date(Date.now() + RESET_LINK_HOURS * 3_600_000);
    await tx.passwordReset.create({ data: { tokenHash: hash, userId, createdById: actor.id, expiresAt } });
    await writeAudit(tx, actor, {
      kind: 'user.passwordResetLink',
      target: `user:${userId}`,
      targetLabel: user.email,
      before: null,
      after: { expiresAt: expiresAt.toISOString() },
    });
    return token;
  });
}

// The admins' view of personal API keys: every key with its owner, revoking any of them (audited), and the
// switches (./switches).
import 'server-only';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import type { PrismaClient } from '@/lib/db/generated/client';
import { forgetKey } from './key-cache';
import { type ApiKeySummary, toSummary } from './keys';

export interface AdminKeyRow extends ApiKeySummary {
  userId: string;
  email: string;
}

export interface AdminUserAccess {
  id: string;
  email: string;
  apiAccess: boolean;
  openKeys: number;
}

const PAGE = 500;

/** Every key, newest first (the latest 500). */
export async function listAllApiKeys(prisma: PrismaClient): Promise<AdminKeyRow[]> {
  const rows = await prisma.apiKey.findMany({
    orderBy: { createdAt: 'desc' },
    take: PAGE,
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      userId: true,
      user: { select: { email: true } },
    },
  });
  return rows.map((r) => ({ ...toSummary(r), userId: r.userId, email: r.user.email }));
}

/** Each user's API switch and open keys, for the admin page. */
export async function listUserApiAccess(prisma: PrismaClient, now = new Date()): Promise<AdminUserAccess[]> {
  const users = await prisma.user.findMany({
    orderBy: { email: 'asc' },
    take: PAGE,
    select: {
      id: true,
      email: true,
      apiAccess: true,
      _count: { select: { apiKeys: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } } },
    },
  });
  return users.map((u) => ({ id: u.id, email: u.email, apiAccess: u.apiAccess, openKeys: u._count.apiKeys }));
}

/** Revokes any key (admins); its audit row is written in the same transaction. */
export async function adminRevokeApiKey(prisma: PrismaClient, id: string, actor: AuditActor): Promise<'ok' | 'not_found' | 'already_revoked'> {
  const result = await prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id }, select: { hash: true, name: true, revokedAt: true, user: { select: { email: true } } } });
    if (!key) return { outcome: 'not_found' as const };
    if (key.revokedAt) return { outcome: 'already_revoked' as const, hash: key.hash };
    await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await writeAudit(tx, actor, {
      kind: 'apiKey.revoke',
      target: `apiKey:${id}`,
      targetLabel: `${key.name} (${key.user.email})`,
      before: { revoked: false },
      after: { revoked: true },
    });
    return { outcome: 'ok' as const, hash: key.hash };
  });
  if (result.hash) forgetKey(result.hash);
  return result.outcome;
}

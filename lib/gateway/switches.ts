// Who may use the API at all: the instance switch (a Setting, on unless an admin turns it off) and each
// user's switch (User.apiAccess). Admin changes write their audit row in the same transaction.
import 'server-only';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import type { PrismaClient } from '@/lib/db/generated/client';
import { forgetApiAccess, forgetInstanceSwitch } from './key-cache';

export const API_ENABLED_KEY = 'api.enabled';

export async function readApiEnabled(prisma: Pick<PrismaClient, 'setting'>): Promise<boolean> {
  const row = await prisma.setting.findUnique({ where: { key: API_ENABLED_KEY } });
  return row?.value !== false;
}

export async function setInstanceApiAccess(prisma: PrismaClient, enabled: boolean, actor: AuditActor): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const before = await readApiEnabled(tx);
    await tx.setting.upsert({ where: { key: API_ENABLED_KEY }, create: { key: API_ENABLED_KEY, value: enabled }, update: { value: enabled } });
    await writeAudit(tx, actor, { kind: 'setting.apiEnabled', target: `setting:${API_ENABLED_KEY}`, before, after: enabled });
  });
  forgetInstanceSwitch();
}

/** false when there is no such user. */
export async function setUserApiAccess(prisma: PrismaClient, userId: string, enabled: boolean, actor: AuditActor): Promise<boolean> {
  const done = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, apiAccess: true } });
    if (!user) return false;
    await tx.user.update({ where: { id: userId }, data: { apiAccess: enabled } });
    await writeAudit(tx, actor, {
      kind: 'user.apiAccess',
      target: `user:${userId}`,
      targetLabel: user.email,
      before: user.apiAccess,
      after: enabled,
    });
    return true;
  });
  forgetApiAccess(userId);
  return done;
}

// User administration: the list with this month's usage and limits, role and disabled changes (never
// leaving the instance without an active admin), and per-user limits. Changes end or refresh sessions.
import 'server-only';
import { z } from 'zod';
import { forgetCachedUser } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import type { Prisma, PrismaClient } from '@/lib/db/generated/client';
import { trimDecimal } from '@/lib/format';
import { decimalText, effectiveLimits, type Limits } from '@/lib/usage/limits';
import { monthStart } from '@/lib/usage/month';
import { forgetQuota } from '@/lib/usage/quota';

export interface AdminUserRow {
  id: string;
  email: string;
  role: 'user' | 'admin';
  disabled: boolean;
  /** Waiting for an admin's approval (signed up under the `approval` policy). */
  pending: boolean;
  createdAt: Date;
  monthTokens: bigint;
  monthCost: string;
  /** The user's own limits (null = default). */
  own: Limits;
  effective: Limits;
}

/** Form fields arrive as text: empty means "no value". */
const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);
export const limitsFormSchema = z.object({
  tokens: z.preprocess(blankToNull, z.coerce.number().int().min(0).max(2_147_483_647).nullable()),
  cost: z.preprocess(blankToNull, decimalText.nullable()),
});

export const userActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('role'), role: z.enum(['user', 'admin']) }),
  z.object({ action: z.literal('disabled'), disabled: z.preprocess((v) => v === true || v === 'true', z.boolean()) }),
  limitsFormSchema.extend({ action: z.literal('limits') }),
  z.object({ action: z.literal('approve') }),
]);
export type UserAction = z.infer<typeof userActionSchema>;

export type UserActionResult = 'ok' | 'not_found' | 'last_admin';

export async function listUsers(prisma: PrismaClient, defaults: Limits, limit = 500): Promise<AdminUserRow[]> {
  const rows = await prisma.$queryRaw<
    Array<{
      id: string;
      email: string;
      role: 'user' | 'admin';
      disabled: boolean;
      approved: boolean;
      createdAt: Date;
      tokenLimit: number | null;
      costLimit: string | null;
      tokens: bigint | null;
      cost: string | null;
    }>
  >`
    SELECT u.id::text, u.email, u.role::text AS role, u.disabled, u.approved, u."createdAt", u."monthlyTokenLimit" AS "tokenLimit",
      u."monthlyCostLimit"::text AS "costLimit", d.tokens, d.cost
    FROM "User" u LEFT JOIN (
      SELECT "userId", sum("promptTokens" + "completionTokens")::bigint AS tokens,
        (sum(cost) FILTER (WHERE currency = ${config().kimi.currency}))::text AS cost
      FROM "UsageDaily" WHERE day >= ${monthStart().toISOString().slice(0, 10)}::date GROUP BY "userId"
    ) d ON d."userId" = u.id
    ORDER BY u.approved, u."createdAt" LIMIT ${limit}`;
  return rows.map((r) => {
    const own = { tokens: r.tokenLimit, cost: r.costLimit === null ? null : trimDecimal(r.costLimit) };
    return {
      id: r.id,
      email: r.email,
      role: r.role,
      disabled: r.disabled,
      pending: !r.approved,
      createdAt: r.createdAt,
      monthTokens: r.tokens ?? 0n,
      monthCost: r.cost ?? '0',
      own,
      effective: effectiveLimits(own, defaults),
    };
  });
}

/** How many accounts wait for approval (the admin badge). */
export async function pendingCount(prisma: PrismaClient): Promise<number> {
  return prisma.user.count({ where: { approved: false, disabled: false } });
}

/**
 * Demoting or disabling succeeds only while another enabled admin remains: one conditional UPDATE, so
 * two admins demoting each other at once cannot both succeed.
 */
async function guardedUpdate(tx: Prisma.TransactionClient, userId: string, set: 'demote' | 'disable'): Promise<boolean> {
  const changed =
    set === 'demote'
      ? await tx.$executeRaw`UPDATE "User" SET role = 'user', "updatedAt" = now() WHERE id = ${userId}::uuid AND (role <> 'admin' OR EXISTS (SELECT 1 FROM "User" o WHERE o.role = 'admin' AND NOT o.disabled AND o.id <> ${userId}::uuid))`
      : await tx.$executeRaw`UPDATE "User" SET disabled = true, "updatedAt" = now() WHERE id = ${userId}::uuid AND (role <> 'admin' OR disabled OR EXISTS (SELECT 1 FROM "User" o WHERE o.role = 'admin' AND NOT o.disabled AND o.id <> ${userId}::uuid))`;
  return changed === 1;
}

class LastAdmin extends Error {}

/**
 * Applies one change to a user and writes its audit row in the same transaction (a refused change writes
 * neither). Then this process's caches are refreshed (a disabled user's sessions end now).
 */
export async function applyUserAction(prisma: PrismaClient, userId: string, action: UserAction, actor: AuditActor): Promise<UserActionResult> {
  let invalidate = false;
  try {
    const found = await prisma.$transaction(async (tx) => {
      const before = await tx.user.findUnique({
        where: { id: userId },
        select: { email: true, role: true, disabled: true, approved: true, monthlyTokenLimit: true, monthlyCostLimit: true },
      });
      if (!before) return false;
      const audit = (kind: string, from: unknown, to: unknown) =>
        writeAudit(tx, actor, { kind, target: `user:${userId}`, targetLabel: before.email, before: from, after: to });
      switch (action.action) {
        case 'role':
          if (action.role === 'user') {
            if (!(await guardedUpdate(tx, userId, 'demote'))) throw new LastAdmin();
          } else await tx.user.update({ where: { id: userId }, data: { role: 'admin' } });
          await audit('user.role', before.role, action.role);
          break;
        case 'disabled':
          if (action.disabled) {
            if (!(await guardedUpdate(tx, userId, 'disable'))) throw new LastAdmin();
            // A disabled user's sessions end now, not when their token expires.
            await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
            invalidate = true;
          } else await tx.user.update({ where: { id: userId }, data: { disabled: false } });
          await audit('user.disabled', before.disabled, action.disabled);
          break;
        case 'limits':
          await tx.user.update({ where: { id: userId }, data: { monthlyTokenLimit: action.tokens, monthlyCostLimit: action.cost } });
          await audit(
            'user.limits',
            { tokens: before.monthlyTokenLimit, cost: before.monthlyCostLimit?.toFixed() ?? null },
            { tokens: action.tokens, cost: action.cost },
          );
          break;
        case 'approve':
          await tx.user.update({ where: { id: userId }, data: { approved: true } });
          await audit('user.approved', before.approved, true);
          break;
      }
      return true;
    });
    if (!found) return 'not_found';
  } catch (error) {
    if (error instanceof LastAdmin) return 'last_admin';
    throw error;
  } finally {
    forgetCachedUser(userId);
    if (action.action === 'limits') forgetQuota(userId);
  }
  if (invalidate) forgetCachedUser(userId);
  return 'ok';
}

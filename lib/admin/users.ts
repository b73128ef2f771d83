// User administration: the list with this month's usage and limits, role and disabled changes (never
// leaving the instance without an active admin), and per-user limits. Changes end or refresh sessions.
import 'server-only';
import { z } from 'zod';
import { forgetCachedUser, invalidateUserSessions } from '@/lib/auth/session';
import { config } from '@/lib/config';
import type { PrismaClient } from '@/lib/db/generated/client';
import { trimDecimal } from '@/lib/format';
import { decimalText, effectiveLimits, type Limits } from '@/lib/usage/limits';
import { monthStart } from '@/lib/usage/month';
import { forgetQuota } from '@/lib/usage/quota';

export interface AdminUserRow {
  id: string;
  email: string;
  role: 'user' | 'admin';
  disabled: boolean;
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
      createdAt: Date;
      tokenLimit: number | null;
      costLimit: string | null;
      tokens: bigint | null;
      cost: string | null;
    }>
  >`
    SELECT u.id::text, u.email, u.role::text AS role, u.disabled, u."createdAt", u."monthlyTokenLimit" AS "tokenLimit",
      u."monthlyCostLimit"::text AS "costLimit", d.tokens, d.cost
    FROM "User" u LEFT JOIN (
      SELECT "userId", sum("promptTokens" + "completionTokens")::bigint AS tokens,
        (sum(cost) FILTER (WHERE currency = ${config().kimi.currency}))::text AS cost
      FROM "UsageDaily" WHERE day >= ${monthStart().toISOString().slice(0, 10)}::date GROUP BY "userId"
    ) d ON d."userId" = u.id
    ORDER BY u."createdAt" LIMIT ${limit}`;
  return rows.map((r) => {
    const own = { tokens: r.tokenLimit, cost: r.costLimit === null ? null : trimDecimal(r.costLimit) };
    return {
      id: r.id,
      email: r.email,
      role: r.role,
      disabled: r.disabled,
      createdAt: r.createdAt,
      monthTokens: r.tokens ?? 0n,
      monthCost: r.cost ?? '0',
      own,
      effective: effectiveLimits(own, defaults),
    };
  });
}

/**
 * Demoting or disabling succeeds only while another enabled admin remains: one conditional UPDATE, so
 * two admins demoting each other at once cannot both succeed.
 */
async function guardedUpdate(prisma: PrismaClient, userId: string, set: 'demote' | 'disable'): Promise<UserActionResult> {
  const changed =
    set === 'demote'
      ? await prisma.$executeRaw`UPDATE "User" SET role = 'user', "updatedAt" = now() WHERE id = ${userId}::uuid AND (role <> 'admin' OR EXISTS (SELECT 1 FROM "User" o WHERE o.role = 'admin' AND NOT o.disabled AND o.id <> ${userId}::uuid))`
      : await prisma.$executeRaw`UPDATE "User" SET disabled = true, "updatedAt" = now() WHERE id = ${userId}::uuid AND (role <> 'admin' OR disabled OR EXISTS (SELECT 1 FROM "User" o WHERE o.role = 'admin' AND NOT o.disabled AND o.id <> ${userId}::uuid))`;
  if (changed === 1) return 'ok';
  return (await prisma.user.count({ where: { id: userId } })) === 0 ? 'not_found' : 'last_admin';
}

export async function applyUserAction(prisma: PrismaClient, userId: string, action: UserAction): Promise<UserActionResult> {
  if (!(await prisma.user.count({ where: { id: userId } }))) return 'not_found';
  let result: UserActionResult = 'ok';
  switch (action.action) {
    case 'role':
      if (action.role === 'user') result = await guardedUpdate(prisma, userId, 'demote');
      else await prisma.user.update({ where: { id: userId }, data: { role: 'admin' } });
      forgetCachedUser(userId);
      break;
    case 'disabled':
      if (action.disabled) {
        result = await guardedUpdate(prisma, userId, 'disable');
        // A disabled user's sessions end now, not when their token expires.
        if (result === 'ok') await invalidateUserSessions(userId);
      } else {
        await prisma.user.update({ where: { id: userId }, data: { disabled: false } });
        forgetCachedUser(userId);
      }
      break;
    case 'limits':
      await prisma.user.update({ where: { id: userId }, data: { monthlyTokenLimit: action.tokens, monthlyCostLimit: action.cost } });
      forgetQuota(userId);
      break;
  }
  return result;
}

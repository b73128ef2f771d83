// What went through each personal key in a period, for /usage (one user's keys) and /admin/usage (every
// key): read from the ledger's api rows (indexed by key and time), not the rollups, which know no keys.
import 'server-only';
import { Prisma, type PrismaClient } from '@/lib/db/generated/client';

export interface KeyUsageRow {
  keyId: string;
  name: string;
  prefix: string;
  email: string;
  revoked: boolean;
  requests: number;
  promptTokens: bigint;
  completionTokens: bigint;
  /** In the configured currency, exact decimal text. */
  cost: string;
}

export async function keyUsage(
  prisma: PrismaClient,
  period: { from: Date; to: Date },
  currency: string,
  userId: string | null = null,
  limit = 200,
): Promise<KeyUsageRow[]> {
  const mine = userId ? Prisma.sql`AND k."userId" = ${userId}::uuid` : Prisma.empty;
  const rows = await prisma.$queryRaw<Array<Omit<KeyUsageRow, 'requests'> & { requests: bigint }>>`
    SELECT k.id AS "keyId", k.name, k.prefix, usr.email, (k."revokedAt" IS NOT NULL) AS revoked,
      count(*)::bigint AS requests, sum(u."promptTokens")::bigint AS "promptTokens",
      sum(u."completionTokens")::bigint AS "completionTokens",
      coalesce(sum(u.cost) FILTER (WHERE u.currency = ${currency}), 0)::text AS cost
    FROM "Usage" u JOIN "ApiKey" k ON k.id = u."apiKeyId" JOIN "User" usr ON usr.id = k."userId"
    WHERE u."apiKeyId" IS NOT NULL AND u."createdAt" >= ${period.from} AND u."createdAt" < ${period.to} ${mine}
    GROUP BY k.id, usr.email
    ORDER BY sum(u.cost) DESC NULLS LAST, k.name
    LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, requests: Number(r.requests) }));
}

// Per-user monthly quotas, checked on the chat hot path before any upstream call: one indexed query over
// the daily rollup (UsageDaily, by userId and day) that also reads the limits, cached per user for a few
// seconds. A usage row written by this process is added to the cached month rather than dropping it, so
// back-to-back turns need no query; rows from other instances show within the few seconds.
import 'server-only';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { Prisma, type PrismaClient } from '@/lib/db/generated/client';
import { prepared } from '@/lib/db/statement-names';
import type { AppError } from '@/lib/errors';
import { processSingleton } from '@/lib/singleton';
import { effectiveLimits, type Limits, parseDefaultLimits, QUOTA_DEFAULT_KEY } from './limits';
import { monthStart, nextMonthStart } from './month';

export interface MonthUsage {
  /** prompt + completion (reasoning is inside completion). */
  tokens: bigint;
  promptTokens: bigint;
  cachedTokens: bigint;
  completionTokens: bigint;
  reasoningTokens: bigint;
  requests: number;
  /** In the configured currency, exact decimal text. */
  cost: string;
  currency: string;
  limits: Limits;
  resetsAt: Date;
}

const TTL_MS = 5_000;
interface CacheEntry {
  at: number;
  value: Promise<MonthUsage | null>;
  /** Set once the query answered; until then a new usage row cannot be added to it. */
  settled?: MonthUsage | null;
}
// On globalThis: Next.js loads this module once per bundle (route handlers, pages), and an admin's change
// must reach the chat route's copy.
const cache = processSingleton('usage.quotaCache', () => new Map<string, CacheEntry>());

/** Call after changing a user's limits. */
export function forgetQuota(userId: string): void {
  cache.delete(userId);
}

export type WrittenUsage = Pick<
  Prisma.UsageUncheckedCreateInput,
  'userId' | 'promptTokens' | 'cachedTokens' | 'completionTokens' | 'reasoningTokens' | 'cost' | 'currency'
>;

/** Call after a usage row's transaction committed: the cached month grows by the row. */
export function usageWritten(row: WrittenUsage): void {
  const entry = cache.get(row.userId);
  if (!entry) return;
  // A query in flight may or may not have seen the row: ask again next time.
  if (entry.settled === undefined) return void cache.delete(row.userId);
  const month = entry.settled;
  if (!month) return;
  const promptTokens = month.promptTokens + BigInt(row.promptTokens);
  const completionTokens = month.completionTokens + BigInt(row.completionTokens);
  const grown: MonthUsage = {
    ...month,
    tokens: promptTokens + completionTokens,
    promptTokens,
    cachedTokens: month.cachedTokens + BigInt(row.cachedTokens),
    completionTokens,
    reasoningTokens: month.reasoningTokens + BigInt(row.reasoningTokens),
    requests: month.requests + 1,
    cost: row.currency === month.currency ? new Prisma.Decimal(month.cost).plus(row.cost.toString()).toFixed(10) : month.cost,
  };
  // Same age: usage from other instances still shows once the entry expires.
  cache.set(row.userId, { at: entry.at, value: Promise.resolve(grown), settled: grown });
}

/** After the default limits change. */
export function forgetAllQuotas(): void {
  cache.clear();
}

interface Totals {
  monthlyTokenLimit: number | null;
  monthlyCostLimit: Prisma.Decimal | null;
  defaults: unknown;
  requests: bigint | null;
  prompt: Prisma.Decimal | null;
  cached: Prisma.Decimal | null;
  completion: Prisma.Decimal | null;
  reasoning: Prisma.Decimal | null;
  cost: Prisma.Decimal | null;
}

/** This UTC month's usage and limits of one user; null when there is no such user. */
export async function monthUsage(prisma: PrismaClient, userId: string, now: Date = new Date()): Promise<MonthUsage | null> {
  const currency = config().kimi.currency;
  const rows = await prisma.$queryRaw<Totals[]>(prepared`
    SELECT u."monthlyTokenLimit", u."monthlyCostLimit",
      (SELECT value FROM "Setting" WHERE key = ${QUOTA_DEFAULT_KEY}) AS defaults,
      d.requests, d.prompt, d.cached, d.completion, d.reasoning, d.cost
    FROM "User" u
    LEFT JOIN LATERAL (
      SELECT sum(requests)::bigint AS requests, sum("promptTokens") AS prompt, sum("cachedTokens") AS cached,
        sum("completionTokens") AS completion, sum("reasoningTokens") AS reasoning,
        sum(cost) FILTER (WHERE currency = ${currency}) AS cost
      FROM "UsageDaily" WHERE "userId" = u.id AND day >= ${monthStart(now).toISOString().slice(0, 10)}::date
    ) d ON true
    WHERE u.id = ${userId}::uuid`);
  const row = rows[0];
  if (!row) return null;
  const big = (v: Prisma.Decimal | null) => BigInt(v?.toFixed(0) ?? 0);
  const promptTokens = big(row.prompt);
  const completionTokens = big(row.completion);
  return {
    tokens: promptTokens + completionTokens,
    promptTokens,
    cachedTokens: big(row.cached),
    completionTokens,
    reasoningTokens: big(row.reasoning),
    requests: Number(row.requests ?? 0),
    cost: (row.cost ?? new Prisma.Decimal(0)).toFixed(10),
    currency,
    limits: effectiveLimits({ tokens: row.monthlyTokenLimit, cost: row.monthlyCostLimit?.toFixed() ?? null }, parseDefaultLimits(row.defaults)),
    resetsAt: nextMonthStart(now),
  };
}

export function overLimit(usage: MonthUsage): boolean {
  const { tokens, cost } = usage.limits;
  if (tokens !== null && usage.tokens >= BigInt(tokens)) return true;
  return cost !== null && new Prisma.Decimal(usage.cost).gte(cost);
}

/** The month as the quota check sees it: cached a few seconds, grown by this process's own usage rows. */
export function cachedMonthUsage(userId: string): Promise<MonthUsage | null> {
  const hit = cache.get(userId);
  // A cached month is only good within that month.
  if (hit && Date.now() - hit.at < TTL_MS && monthStart().getTime() <= hit.at) return hit.value;
  const value = db().then((prisma) => monthUsage(prisma, userId));
  const entry: CacheEntry = { at: Date.now(), value };
  cache.set(userId, entry);
  value.then(
    (month) => (entry.settled = month),
    () => {
      if (cache.get(userId) === entry) cache.delete(userId);
    },
  );
  return value;
}

/** null when the user may call upstream; the error to return otherwise. */
export async function checkQuota(userId: string): Promise<AppError | null> {
  const usage = await cachedMonthUsage(userId);
  if (!usage || !overLimit(usage)) return null;
  return { code: 'user_quota_exceeded', params: { resetsAt: usage.resetsAt.toISOString() }, retryable: false };
}

// The admin page's numbers. Whole UTC days come from the daily rollups (per model: UsageDailyModel, per
// user: UsageDaily); the partial days at the edges of a period (the rolling 24 h) come from ledger rows
// through the createdAt index. Both sides have the same shape, so every total is exact to the row, and
// no hourly rollup is needed. Each view is one query over its own rollup.
import { Prisma, type PrismaClient } from '@/lib/db/generated/client';
import { dayStart, isoDate, nextDayStart, type Period } from './period';
import { DAY_SQL } from './rollups';
import { addHistograms, TTFT_BUCKETS, ttftHistogramSql, ttftQuantile } from './ttft';

export interface TokenSums {
  requests: number;
  errors: number;
  promptTokens: bigint;
  cachedTokens: bigint;
  completionTokens: bigint;
  reasoningTokens: bigint;
}

export interface CurrencyCost {
  currency: string;
  cost: string;
}

export interface Totals extends TokenSums {
  costs: CurrencyCost[];
  activeUsers: number;
}

export interface ModelRow extends TokenSums {
  model: string;
  costs: CurrencyCost[];
  ttftP50: number | null;
  ttftP95: number | null;
}

export interface UserRow extends TokenSums {
  userId: string;
  email: string;
  costs: CurrencyCost[];
}

export interface DayModelPoint {
  day: string;
  model: string;
  tokens: bigint;
  /** In the page's currency only. */
  cost: string;
}

export interface ConversationRow extends TokenSums {
  conversationId: string | null;
  title: string;
  costs: CurrencyCost[];
}

type Grain = 'user' | 'model';
const KEYS: Record<Grain, Prisma.Sql> = {
  user: Prisma.sql`"userId", currency`,
  model: Prisma.sql`"servedModel", purpose, currency`,
};
const TABLE: Record<Grain, Prisma.Sql> = { user: Prisma.sql`"UsageDaily"`, model: Prisma.sql`"UsageDailyModel"` };

/**
 * The period's usage at one grain as one SQL source: rollup days fully inside the period (today counts as
 * whole when the period runs to now, since its rollup holds every row so far) plus raw rows at the edges.
 */
export function sourceSql(period: Period, grain: Grain, now: Date = new Date()): Prisma.Sql {
  const fullFrom = nextDayStart(period.from);
  const fullTo = period.to >= now ? nextDayStart(now) : dayStart(period.to);
  if (fullFrom >= fullTo) return rawSql(grain, Prisma.sql`"createdAt" >= ${period.from} AND "createdAt" < ${period.to}`);
  const edges: Prisma.Sql[] = [];
  if (period.from < fullFrom) edges.push(Prisma.sql`("createdAt" >= ${period.from} AND "createdAt" < ${fullFrom})`);
  if (fullTo < period.to) edges.push(Prisma.sql`("createdAt" >= ${fullTo} AND "createdAt" < ${period.to})`);
  const rollup = Prisma.sql`
    SELECT day, ${KEYS[grain]}, requests, errors, "promptTokens", "cachedTokens", "completionTokens", "reasoningTokens",
      cost ${grain === 'model' ? Prisma.sql`, "ttftBuckets" AS h` : Prisma.empty}
    FROM ${TABLE[grain]} WHERE day >= ${isoDate(fullFrom)}::date AND day < ${isoDate(fullTo)}::date`;
  return edges.length === 0 ? rollup : Prisma.sql`${rollup} UNION ALL ${rawSql(grain, Prisma.join(edges, ' OR '))}`;
}

function rawSql(grain: Grain, where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT ${DAY_SQL} AS day, ${KEYS[grain]}, 1 AS requests, (outcome = 'error')::int AS errors, "promptTokens"::bigint,
      "cachedTokens"::bigint, "completionTokens"::bigint, "reasoningTokens"::bigint, cost
      ${grain === 'model' ? Prisma.sql`, ${ttftHistogramSql(Prisma.sql`"ttftMs"`)} AS h` : Prisma.empty}
    FROM "Usage" WHERE ${where}`;
}

const SUMS = Prisma.sql`sum(requests)::int AS requests, sum(errors)::int AS errors,
  sum("promptTokens")::bigint AS "promptTokens", sum("cachedTokens")::bigint AS "cachedTokens",
  sum("completionTokens")::bigint AS "completionTokens", sum("reasoningTokens")::bigint AS "reasoningTokens",
  sum(cost)::text AS cost`;
const HISTOGRAM = Prisma.sql`ARRAY[${Prisma.join(
  Array.from({ length: TTFT_BUCKETS }, (_, i) => Prisma.sql`coalesce(sum(h[${Prisma.raw(String(i + 1))}]), 0)::int`),
)}] AS h`;

type SumRow = TokenSums & { cost: string; currency: string };

const ZERO: TokenSums = { requests: 0, errors: 0, promptTokens: 0n, cachedTokens: 0n, completionTokens: 0n, reasoningTokens: 0n };
function tokenSums(rows: readonly TokenSums[]): TokenSums {
  return rows.reduce(
    (a, r) => ({
      requests: a.requests + r.requests,
      errors: a.errors + r.errors,
      promptTokens: a.promptTokens + r.promptTokens,
      cachedTokens: a.cachedTokens + r.cachedTokens,
      completionTokens: a.completionTokens + r.completionTokens,
      reasoningTokens: a.reasoningTokens + r.reasoningTokens,
    }),
    ZERO,
  );
}

/** Rows grouped by key and currency in SQL, folded into one entry per key with its cost per currency. */
function byKey<R extends SumRow>(rows: readonly R[], key: (r: R) => string) {
  const groups = new Map<string, R[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups.values()].map((group) => ({
    group,
    sums: tokenSums(group),
    costs: group.map((r) => ({ currency: r.currency, cost: r.cost })).sort((a, b) => a.currency.localeCompare(b.currency)),
  }));
}

export interface ModelView {
  totals: Omit<Totals, 'activeUsers'>;
  models: ModelRow[];
  days: DayModelPoint[];
}

/** Totals, per model and per day×model in one pass over the per-model rollup (GROUPING SETS). */
export async function modelView(prisma: PrismaClient, period: Period, currency: string): Promise<ModelView> {
  // level: GROUPING(day, model) bits, day high: 3 = totals, 2 = per model, 0 = per day and model.
  type Row = SumRow & { level: number; model: string | null; day: Date | null; h: number[] };
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT GROUPING(day, "servedModel")::int AS level, day, "servedModel" AS model, currency, ${SUMS}, ${HISTOGRAM}
    FROM (${sourceSql(period, 'model')}) s
    GROUP BY GROUPING SETS ((currency), ("servedModel", currency), (day, "servedModel", currency))`;
  const [total] = byKey(
    rows.filter((r) => r.level === 3),
    () => '',
  );
  const models = byKey(
    rows.filter((r) => r.level === 2),
    (r) => r.model!,
  )
    .map(({ group, sums, costs }) => {
      const h = group.reduce<number[]>((acc, r) => addHistograms(acc, r.h), []);
      return { model: group[0]!.model!, ...sums, costs, ttftP50: ttftQuantile(h, 0.5), ttftP95: ttftQuantile(h, 0.95) };
    })
    .sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
  const days = byKey(
    rows.filter((r) => r.level === 0),
    (r) => `${isoDate(r.day!)} ${r.model}`,
  )
    .map(({ group, sums }) => ({
      day: isoDate(group[0]!.day!),
      model: group[0]!.model!,
      tokens: sums.promptTokens + sums.completionTokens,
      cost: group.find((r) => r.currency === currency)?.cost ?? '0',
    }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.model.localeCompare(b.model));
  return { totals: { ...(total?.sums ?? ZERO), costs: total?.costs ?? [] }, models, days };
}

/** The top `limit` users by requests, and how many users were active at all, from the per-user rollup. */
export async function userView(prisma: PrismaClient, period: Period, limit = 200): Promise<{ users: UserRow[]; activeUsers: number }> {
  const rows = await prisma.$queryRaw<Array<SumRow & { userId: string; email: string; active: number }>>`
    WITH g AS (SELECT "userId", currency, ${SUMS} FROM (${sourceSql(period, 'user')}) s GROUP BY "userId", currency),
    top AS (
      SELECT "userId", count(*) OVER ()::int AS active FROM g GROUP BY "userId"
      ORDER BY sum(requests) DESC, "userId" LIMIT ${limit}
    )
    SELECT g.*, g."userId"::text AS "userId", u.email, top.active
    FROM g JOIN top USING ("userId") JOIN "User" u ON u.id = g."userId"`;
  const users = byKey(rows, (r) => r.userId)
    .map(({ group, sums, costs }) => ({ userId: group[0]!.userId, email: group[0]!.email, ...sums, costs }))
    .sort((a, b) => b.requests - a.requests || a.email.localeCompare(b.email));
  return { users, activeUsers: rows[0]?.active ?? 0 };
}

/** One user's conversations with their usage in the period (ledger rows: one user's are few). */
export async function userConversations(prisma: PrismaClient, userId: string, period: Period): Promise<ConversationRow[]> {
  const rows = await prisma.$queryRaw<Array<SumRow & { conversationId: string | null; title: string | null }>>`
    SELECT u."conversationId"::text AS "conversationId", c.title, u.currency, count(*)::int AS requests,
      count(*) FILTER (WHERE outcome = 'error')::int AS errors,
      sum(u."promptTokens")::bigint AS "promptTokens", sum(u."cachedTokens")::bigint AS "cachedTokens",
      sum(u."completionTokens")::bigint AS "completionTokens", sum(u."reasoningTokens")::bigint AS "reasoningTokens",
      sum(u.cost)::text AS cost
    FROM "Usage" u LEFT JOIN "Conversation" c ON c.id = u."conversationId"
    WHERE u."userId" = ${userId}::uuid AND u."createdAt" >= ${period.from} AND u."createdAt" < ${period.to}
    GROUP BY u."conversationId", c.title, u.currency`;
  return byKey(rows, (r) => r.conversationId ?? '')
    .map(({ group, sums, costs }) => ({ conversationId: group[0]!.conversationId, title: group[0]!.title ?? '', ...sums, costs }))
    .sort((a, b) => b.requests - a.requests);
}

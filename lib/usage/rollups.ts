// The daily rollups kept in step with the ledger: every Usage insert goes with an upsert-increment of its
// day's rows (per user: UsageDaily; per model: UsageDailyModel) in the same transaction, and bulk loads
// rebuild them with one INSERT … SELECT … GROUP BY each.
import { Prisma, type PrismaClient } from '@/lib/db/generated/client';
import { TTFT_BUCKETS, ttftBucketSql, ttftHistogramSql } from './ttft';

type Row = Prisma.UsageUncheckedCreateInput;

/** UTC day of a timestamp, as SQL. */
export const DAY_SQL = Prisma.sql`("createdAt" AT TIME ZONE 'UTC')::date`;

const SUM_COLUMNS = ['requests', 'errors', 'promptTokens', 'cachedTokens', 'completionTokens', 'reasoningTokens', 'cost'] as const;
const increments = (table: string) => Prisma.raw(SUM_COLUMNS.map((c) => `"${c}" = "${table}"."${c}" + EXCLUDED."${c}"`).join(', '));

/** The usage insert and its rollup increments, to pass to `prisma.$transaction([...])` with the caller's writes. */
export function ledgerWrites(prisma: PrismaClient, row: Row): Prisma.PrismaPromise<unknown>[] {
  // The day must be the row's own: set createdAt here rather than letting the database default it.
  const createdAt = row.createdAt ? new Date(row.createdAt) : new Date();
  const day = createdAt.toISOString().slice(0, 10);
  const error = row.outcome === 'error' ? 1 : 0;
  const sums = Prisma.sql`1, ${error}, ${row.promptTokens}, ${row.cachedTokens}, ${row.completionTokens}, ${row.reasoningTokens}, ${String(row.cost)}::numeric`;
  return [
    prisma.usage.create({ data: { ...row, createdAt } }),
    prisma.$executeRaw`
      INSERT INTO "UsageDaily" ("day", "userId", "currency", "requests", "errors", "promptTokens", "cachedTokens",
        "completionTokens", "reasoningTokens", "cost")
      VALUES (${day}::date, ${row.userId}::uuid, ${row.currency}, ${sums})
      ON CONFLICT ("userId", "day", "currency") DO UPDATE SET ${increments('UsageDaily')}`,
    prisma.$executeRaw`
      INSERT INTO "UsageDailyModel" ("day", "servedModel", "purpose", "currency", "requests", "errors", "promptTokens",
        "cachedTokens", "completionTokens", "reasoningTokens", "cost", "ttftBuckets")
      VALUES (${day}::date, ${row.servedModel}, ${row.purpose}, ${row.currency}, ${sums},
        ${ttftHistogramSql(Prisma.sql`${row.ttftMs ?? null}::int`)})
      ON CONFLICT ("day", "servedModel", "purpose", "currency") DO UPDATE SET ${increments('UsageDailyModel')},
        "ttftBuckets" = (SELECT array_agg(a + b ORDER BY i)
          FROM unnest("UsageDailyModel"."ttftBuckets", EXCLUDED."ttftBuckets") WITH ORDINALITY AS t(a, b, i))`,
  ];
}

const SUMS_SQL = Prisma.sql`count(*), count(*) FILTER (WHERE outcome = 'error'), sum("promptTokens"), sum("cachedTokens"),
  sum("completionTokens"), sum("reasoningTokens"), sum(cost)`;

/**
 * Recomputes every rollup row from the ledger (bulk loads, repairs) in one transaction. The TTFT bucket
 * is computed once per row and counted per bucket with FILTER.
 */
export async function rebuildRollups(prisma: PrismaClient): Promise<void> {
  const buckets = Array.from({ length: TTFT_BUCKETS }, (_, i) => Prisma.sql`count(*) FILTER (WHERE b = ${Prisma.raw(String(i))})`);
  await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`DELETE FROM "UsageDaily"`;
      await tx.$executeRaw`DELETE FROM "UsageDailyModel"`;
      await tx.$executeRaw`
        INSERT INTO "UsageDaily" ("day", "userId", "currency", "requests", "errors", "promptTokens", "cachedTokens",
          "completionTokens", "reasoningTokens", "cost")
        SELECT ${DAY_SQL} AS day, "userId", currency, ${SUMS_SQL} FROM "Usage" GROUP BY 1, 2, 3`;
      await tx.$executeRaw`
        INSERT INTO "UsageDailyModel" ("day", "servedModel", "purpose", "currency", "requests", "errors", "promptTokens",
          "cachedTokens", "completionTokens", "reasoningTokens", "cost", "ttftBuckets")
        SELECT day, "servedModel", purpose, currency, ${SUMS_SQL}, ARRAY[${Prisma.join(buckets)}]::int[]
        FROM (SELECT *, ${DAY_SQL} AS day, ${ttftBucketSql(Prisma.sql`"ttftMs"`)} AS b FROM "Usage") u
        GROUP BY day, "servedModel", purpose, currency`;
    },
    // A bulk rebuild of millions of rows takes longer than the default interactive-transaction timeout.
    { timeout: 15 * 60_000, maxWait: 60_000 },
  );
}

// The daily rollups kept in step with the ledger: every Usage insert goes with an upsert-increment of its
// day's rows (per user: UsageDaily; per model: UsageDailyModel) in the same transaction, and bulk loads
// rebuild them with one INSERT … SELECT … GROUP BY each.
import { Prisma, type PrismaClient } from '@/lib/db/generated/client';
import { sumCosts } from './cost';
import { TTFT_BUCKETS, ttftBucket, ttftBucketSql } from './ttft';

type Row = Prisma.UsageUncheckedCreateInput;

/** UTC day of a timestamp, as SQL. */
export const DAY_SQL = Prisma.sql`("createdAt" AT TIME ZONE 'UTC')::date`;

const SUM_COLUMNS = ['requests', 'errors', 'promptTokens', 'cachedTokens', 'completionTokens', 'reasoningTokens', 'cost'] as const;
const increments = (table: string) => Prisma.raw(SUM_COLUMNS.map((c) => `"${c}" = "${table}"."${c}" + EXCLUDED."${c}"`).join(', '));

/** The rows of one rollup key (of one day), with their TTFT histogram. */
interface Group {
  day: string;
  rows: Row[];
  ttft: number[];
}

/** A group's increments, added up in JS exactly: BigInt tokens, decimal-text cost. */
function sumsSql({ rows }: Group): Prisma.Sql {
  const total = (column: 'promptTokens' | 'cachedTokens' | 'completionTokens' | 'reasoningTokens') =>
    String(rows.reduce((sum, row) => sum + BigInt(row[column]), 0n));
  const errors = rows.filter((row) => row.outcome === 'error').length;
  return Prisma.sql`${rows.length}, ${errors}, ${total('promptTokens')}::bigint, ${total('cachedTokens')}::bigint,
    ${total('completionTokens')}::bigint, ${total('reasoningTokens')}::bigint, ${sumCosts(rows.map((row) => row.cost))}::numeric`;
}

/** Rows grouped by key, in key order: upserts take their row locks in one order, whoever writes. */
function groupBy(rows: readonly (Row & { createdAt: Date })[], key: (row: Row, day: string) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const day = row.createdAt.toISOString().slice(0, 10);
    const k = key(row, day);
    let group = groups.get(k);
    if (!group) groups.set(k, (group = { day, rows: [], ttft: new Array<number>(TTFT_BUCKETS).fill(0) }));
    group.rows.push(row);
    const bucket = ttftBucket(row.ttftMs);
    if (bucket >= 0) group.ttft[bucket]! += 1;
  }
  return [...groups.keys()].sort().map((k) => groups.get(k)!);
}

/**
 * The usage inserts and their rollup increments as one statement (atomic by itself): one multi-row INSERT, and one upsert per rollup
 * table covering every key the rows touch, each key's rows added up first. One raw statement rather than
 * three in a transaction: on PGlite each statement and the BEGIN/COMMIT around them cost a round trip of
 * about a millisecond, and a batch of raw statements skips Prisma's plan compilation (not cached for a batch).
 */
export function ledgerWrites(prisma: PrismaClient, rows: Row | readonly Row[]): Prisma.PrismaPromise<unknown>[] {
  const statements = ledgerStatements(rows);
  const last = statements.pop();
  if (!last) return [];
  const ctes = statements.map((statement, i) => Prisma.sql`${Prisma.raw(`ledger_${i}`)} AS (${statement})`);
  return [prisma.$executeRaw`WITH ${Prisma.join(ctes)} ${last}`];
}

/**
 * The same writes as data-modifying CTEs (`ledger_0 AS (INSERT …), …`), to put before a caller's own
 * statement: one statement — atomic on its own, no BEGIN and COMMIT — where the embedded database runs
 * each statement on the server's thread. Empty when there are no rows.
 */
export function ledgerCtes(rows: readonly Row[]): Prisma.Sql[] {
  return ledgerStatements(rows).map((statement, i) => Prisma.sql`${Prisma.raw(`ledger_${i}`)} AS (${statement})`);
}

function ledgerStatements(rows: Row | readonly Row[]): Prisma.Sql[] {
  // The day must be the row's own: set createdAt here rather than letting the database default it.
  const stamped = (Array.isArray(rows) ? rows : [rows as Row]).map((row) => ({
    ...row,
    createdAt: row.createdAt ? new Date(row.createdAt) : new Date(),
  }));
  if (stamped.length === 0) return [];
  const users = groupBy(stamped, (row, day) => `${day}\0${row.userId}\0${row.currency}`);
  const models = groupBy(stamped, (row, day) => `${day}\0${row.servedModel}\0${row.purpose}\0${row.currency}`);
  return [
    usageInsert(stamped),
    Prisma.sql`
      INSERT INTO "UsageDaily" ("day", "userId", "currency", "requests", "errors", "promptTokens", "cachedTokens",
        "completionTokens", "reasoningTokens", "cost")
      VALUES ${Prisma.join(users.map((g) => Prisma.sql`(${g.day}::date, ${g.rows[0]!.userId}::uuid, ${g.rows[0]!.currency}, ${sumsSql(g)})`))}
      ON CONFLICT ("userId", "day", "currency") DO UPDATE SET ${increments('UsageDaily')}`,
    Prisma.sql`
      INSERT INTO "UsageDailyModel" ("day", "servedModel", "purpose", "currency", "requests", "errors", "promptTokens",
        "cachedTokens", "completionTokens", "reasoningTokens", "cost", "ttftBuckets")
      VALUES ${Prisma.join(
        models.map((g) => {
          const { servedModel, purpose, currency } = g.rows[0]!;
          return Prisma.sql`(${g.day}::date, ${servedModel}, ${purpose}, ${currency}, ${sumsSql(g)}, ${`{${g.ttft.join(',')}}`}::int[])`;
        }),
      )}
      ON CONFLICT ("day", "servedModel", "purpose", "currency") DO UPDATE SET ${increments('UsageDailyModel')},
        "ttftBuckets" = (SELECT array_agg(a + b ORDER BY i)
          FROM unnest("UsageDailyModel"."ttftBuckets", EXCLUDED."ttftBuckets") WITH ORDINALITY AS t(a, b, i))`,
  ];
}

/** The rows as one multi-row INSERT, every column with its type: absent optional values NULL, absent defaults their default. */
function usageInsert(rows: readonly (Row & { createdAt: Date })[]): Prisma.Sql {
  const values = rows.map(
    (r) => Prisma.sql`(${r.createdAt.toISOString()}::timestamptz, ${r.userId}::uuid, ${r.conversationId ?? null}::uuid, ${r.messageId ?? null}::text,
      ${r.purpose}::text, ${r.requestedModel}::text, ${r.servedModel}::text, ${r.promptTokens}::int, ${r.cachedTokens}::int,
      ${r.completionTokens}::int, ${r.reasoningTokens}::int, ${r.webSearches ?? 0}::int, ${r.estimated ?? false}::boolean,
      ${String(r.cost)}::numeric, ${r.currency}::text, ${r.ttftMs ?? null}::int, ${r.durationMs}::int, ${r.outcome}::text,
      ${r.errorType ?? null}::text, ${r.requestId ?? null}::text, ${r.apiKeyId ?? null}::uuid)`,
  );
  return Prisma.sql`
    INSERT INTO "Usage" ("createdAt", "userId", "conversationId", "messageId", "purpose", "requestedModel", "servedModel",
      "promptTokens", "cachedTokens", "completionTokens", "reasoningTokens", "webSearches", "estimated", "cost", "currency",
      "ttftMs", "durationMs", "outcome", "errorType", "requestId", "apiKeyId")
    VALUES ${Prisma.join(values)}`;
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

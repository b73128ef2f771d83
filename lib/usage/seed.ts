// Synthetic usage for load tests and benchmarks: users and ledger rows made by the database itself
// (INSERT … SELECT generate_series), priced from the Price table like real rows, then the rollup rebuilt
// with one GROUP BY. Works on PostgreSQL and PGlite.
import { Prisma, type PrismaClient } from '@/lib/db/generated/client';
import { rebuildRollups } from './rollups';

export interface SeedOptions {
  users: number;
  rows: number;
  days: number;
  currency: string;
  /** Rows per INSERT statement (bounded transaction size). */
  batch?: number;
}

const MODELS = ['kimi-k2.6', 'kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k2.5', 'moonshot-v1-32k'];

export async function seedUsage(prisma: PrismaClient, options: SeedOptions): Promise<void> {
  const { users, rows, days, currency, batch = 250_000 } = options;
  await prisma.$executeRaw`
    INSERT INTO "User" (id, email, "passwordHash", role, "updatedAt")
    SELECT gen_random_uuid(), 'seed-' || g || '@example.com', 'seeded: cannot sign in', 'user', now()
    FROM generate_series(1, ${users}::int) g ON CONFLICT (email) DO NOTHING`;
  for (let start = 0; start < rows; start += batch) {
    const count = Math.min(batch, rows - start);
    await prisma.$executeRaw`
      WITH ids AS (SELECT array_agg(id ORDER BY email) AS a FROM "User" WHERE email LIKE 'seed-%@example.com'),
      pr AS (
        SELECT DISTINCT ON (model) model, coalesce("inputCacheHit", input) AS hit, input, output
        FROM "Price" WHERE currency = ${currency} AND model = ANY(ARRAY[${Prisma.join(MODELS)}]) AND "effectiveFrom" <= now()
        ORDER BY model, "effectiveFrom" DESC
      ),
      models AS (SELECT array_agg(model ORDER BY model) AS a FROM pr),
      base AS (
        SELECT g, now() - random() * (${days}::int * interval '1 day') AS t,
          (SELECT a FROM ids)[1 + g % (SELECT cardinality(a) FROM ids)] AS uid,
          (SELECT a FROM models)[1 + floor(random() * (SELECT cardinality(a) FROM models))::int] AS model,
          CASE WHEN random() < 0.1 THEN 'title' ELSE 'chat' END AS purpose,
          (200 + floor(random() * 12000))::int AS p, random() AS rc, (20 + floor(random() * 1500))::int AS o,
          random() AS ro, (80 + floor(random() * 2500))::int AS ttft
        FROM generate_series(${start + 1}::int, ${start + count}::int) g
      ),
      r AS (
        SELECT *, CASE WHEN rc < 0.4 THEN floor(p * rc)::int ELSE 0 END AS c,
          CASE WHEN ro < 0.03 THEN 'error' WHEN ro < 0.05 THEN 'stopped' ELSE 'ok' END AS outcome FROM base
      )
      INSERT INTO "Usage" ("createdAt", "userId", purpose, "requestedModel", "servedModel", "promptTokens", "cachedTokens",
        "completionTokens", "reasoningTokens", estimated, cost, currency, "ttftMs", "durationMs", outcome, "errorType", "requestId")
      SELECT r.t, r.uid, r.purpose, r.model, r.model, r.p, r.c, r.o,
        CASE WHEN r.model LIKE '%thinking%' THEN r.o / 2 ELSE 0 END, false,
        round((r.c * pr.hit + (r.p - r.c) * pr.input + r.o * pr.output) / 1000000, 10), ${currency},
        CASE WHEN r.outcome = 'error' THEN NULL ELSE r.ttft END, r.ttft + r.o * 15, r.outcome,
        CASE WHEN r.outcome = 'error' THEN 'upstream_error' END, 'seed-' || r.g
      FROM r JOIN pr ON pr.model = r.model`;
  }
  await rebuildRollups(prisma);
  await prisma.$executeRaw`ANALYZE "Usage"`;
  await prisma.$executeRaw`ANALYZE "UsageDaily"`;
}

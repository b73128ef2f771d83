// The daily rollups as tests compare them: UsageDaily as stored, UsageDailyModel with its shards added
// up per key (a rebuild writes each key once, live writes spread it over shards).
import { Prisma, type PrismaClient } from '@/lib/db/generated/client';
import { TTFT_BUCKETS } from '@/lib/usage/ttft';

const HISTOGRAM = Prisma.raw(Array.from({ length: TTFT_BUCKETS }, (_, i) => `sum("ttftBuckets"[${i + 1}])::int`).join(', '));

export const rollupRows = async (prisma: PrismaClient): Promise<unknown[][]> => [
  await prisma.$queryRaw<unknown[]>`SELECT day::text, "userId"::text, currency, requests, errors, "promptTokens"::text,
    "cachedTokens"::text, "completionTokens"::text, "reasoningTokens"::text, cost::text FROM "UsageDaily" ORDER BY 1, 2, 3`,
  await prisma.$queryRaw<unknown[]>`SELECT day::text, "servedModel", purpose, currency, sum(requests)::int AS requests,
    sum(errors)::int AS errors, sum("promptTokens")::text AS "promptTokens", sum("cachedTokens")::text AS "cachedTokens",
    sum("completionTokens")::text AS "completionTokens", sum("reasoningTokens")::text AS "reasoningTokens", sum(cost)::text AS cost,
    ARRAY[${HISTOGRAM}] AS "ttftBuckets"
    FROM "UsageDailyModel" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
];

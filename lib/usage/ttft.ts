// Time-to-first-token histogram with fixed buckets, so percentiles per model can be read from daily rollups
// (exact counts per bucket; a percentile is reported as its bucket's upper bound).
import { Prisma } from '@/lib/db/generated/client';

/** Bucket i holds TTFTs in [BOUNDS[i-1], BOUNDS[i]) ms; the last bucket is ≥ the last bound. */
export const TTFT_BOUNDS_MS = [50, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000] as const;
export const TTFT_BUCKETS = TTFT_BOUNDS_MS.length + 1;

/** SQL: the one-hot histogram of one TTFT expression (all zeros when null), PostgreSQL's width_bucket semantics. */
export function ttftHistogramSql(ttft: Prisma.Sql): Prisma.Sql {
  const bucket = ttftBucketSql(ttft);
  const cells = Array.from({ length: TTFT_BUCKETS }, (_, i) => Prisma.sql`(${bucket} = ${Prisma.raw(String(i))})::int`);
  return Prisma.sql`ARRAY[${Prisma.join(cells)}]::int[]`;
}

/** SQL: the bucket index (0-based) of one TTFT expression, -1 when null. */
export function ttftBucketSql(ttft: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`coalesce(width_bucket(${ttft}, ARRAY[${Prisma.raw(TTFT_BOUNDS_MS.join(','))}]::int[]), -1)`;
}

/** ttftBucketSql in JS: the number of bounds ≤ ms (PostgreSQL's width_bucket over an array), -1 when null. */
export function ttftBucket(ms: number | null | undefined): number {
  if (ms === null || ms === undefined) return -1;
  let bucket = 0;
  while (bucket < TTFT_BOUNDS_MS.length && ms >= TTFT_BOUNDS_MS[bucket]!) bucket++;
  return bucket;
}

export function addHistograms(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: TTFT_BUCKETS }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

/** The upper bound (ms) of the bucket holding quantile q; null without data; Infinity for the open bucket. */
export function ttftQuantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < TTFT_BUCKETS; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return TTFT_BOUNDS_MS[i] ?? Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}

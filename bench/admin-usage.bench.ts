// The admin usage page at scale: on a throwaway database of the local PostgreSQL seeded with 1,000,000
// ledger rows, the server time of the page's data loading (p50 over 20 runs, 30-day and 24-hour periods),
// the CSV export's throughput and peak RSS growth while streaming every row, and a baseline measured in
// the same run (a plain count(*) over the 30 days' rows) so results compare across machines as ratios.
import { randomBytes } from 'node:crypto';
import { loadUsagePage } from '../lib/admin/usage-page';
import { openDatabase } from '../lib/db';
import { exportUsageCsv } from '../lib/usage/export';
import { seedUsage } from '../lib/usage/seed';
import { withAdmin } from '../tests/support/postgres';
import { timedP50 } from './stats';
import type { BenchResult } from './types';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_USAGE_ROWS ?? 1_000_000);
const RUNS = 20;
const DAY = 86_400_000;

export async function benchAdminUsage(): Promise<BenchResult> {
  const name = `kimi_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`), ADMIN_URL);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), preparedStatements: true });
  try {
    const { prisma } = database;
    const seedStart = performance.now();
    await seedUsage(prisma, { users: 200, rows: ROWS, days: 90, currency: 'CNY' });
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const now = new Date();
    const period30 = { range: '30d' as const, from: new Date(now.getTime() - 30 * DAY), to: now };
    const period24 = { range: '24h' as const, from: new Date(now.getTime() - DAY), to: now };
    const page30 = await timedP50(RUNS, () => loadUsagePage(prisma, period30, 'CNY'));
    const page24 = await timedP50(RUNS, () => loadUsagePage(prisma, period24, 'CNY'));
    const baseline = await timedP50(
      RUNS,
      () => prisma.$queryRaw`SELECT count(*) FROM "Usage" WHERE "createdAt" >= ${period30.from} AND "createdAt" < ${period30.to}`,
    );

    // Export every row; sample RSS while streaming.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    let lines = 0;
    const reader = exportUsageCsv(prisma, new Date(now.getTime() - 100 * DAY), new Date(now.getTime() + 1000)).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      for (const byte of next.value) if (byte === 10) lines++;
    }
    const exportSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const exported = lines - 1; // minus the header

    return {
      name: `Admin usage page and export over ${ROWS.toLocaleString('en')} ledger rows (PostgreSQL)`,
      metrics: {
        seed_seconds: Number(seedSeconds.toFixed(1)),
        page_30d_p50_ms: page30,
        page_24h_p50_ms: page24,
        baseline_count_30d_p50_ms: baseline,
        page_30d_over_baseline: Number((page30 / baseline).toFixed(2)),
        page_24h_over_baseline: Number((page24 / baseline).toFixed(2)),
        export_rows: exported,
        export_rows_per_s: Math.round(exported / exportSeconds),
        export_peak_rss_delta_mb: Number(((peak - rssBefore) / 1048576).toFixed(1)),
      },
      notes:
        'page = totals, per model, per day×model (one GROUPING SETS query on UsageDailyModel) and per user (UsageDaily), in parallel; 24 h adds raw ledger rows for the partial day; machine load shifts absolute numbers, the ratio less so',
    };
  } finally {
    await database.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), ADMIN_URL);
  }
}

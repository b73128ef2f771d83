// Throwaway databases on the local PostgreSQL server, for tests and benchmarks (no test-runner imports).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type DatabaseKind = 'pglite' | 'postgres';

/** Admin connection for creating and dropping test databases. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function withAdmin<T>(run: (client: pg.Client) => Promise<T>, url = TEST_POSTGRES_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** An empty database on the test server (not migrated); `drop` removes it even with open connections. */
export async function createEmptyPostgresDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `kimi_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const drop = () =>
    withAdmin(async (c) => {
      // A pool that was just ended may still be saying goodbye: give its connections a moment to close,
      // so FORCE does not terminate one mid-farewell (an unhandled FATAL 57P01 in the test process).
      const end = Date.now() + 2_000;
      for (;;) {
        const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if ((rows[0]?.n ?? 0) === 0 || Date.now() > end) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
  return { name, url: databaseUrl(name), drop };
}

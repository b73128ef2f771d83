// On the local PostgreSQL server: the app's statements are prepared once per connection under their names
// (lib/db/statement-names), and not at all when DATABASE_PREPARED_STATEMENTS is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connection, connectPostgres } from '@/lib/db/adapters';
import { PrismaClient } from '@/lib/db/generated/client';
import { createTestDatabase, type TestDatabase } from '../support/db';

describe('named prepared statements (PostgreSQL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await database.close();
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  /** Runs the same statement twice on one connection; returns what that connection has prepared. */
  async function preparedAfterTwoRuns(preparedStatements: boolean): Promise<Array<{ name: string; statement: string }>> {
    const config = database.databaseConfig;
    if (config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const connection: Connection = connectPostgres(config.url, preparedStatements);
    const prisma = new PrismaClient({ adapter: connection.client });
    try {
      // One transaction: every statement on the same pooled connection.
      return await prisma.$transaction(async (tx) => {
        for (const n of [1, 2]) {
          const [row] = await tx.$queryRaw<Array<{ users: bigint }>>`SELECT count(*) AS users FROM "User" WHERE ${n}::int > 0`;
          expect(row?.users).toBe(0n);
        }
        // Many parameters: the text changes with the count, so it stays unnamed.
        const values = Array.from({ length: 70 }, (_, i) => i);
        await tx.$queryRawUnsafe(`SELECT ${values.map((_, i) => `$${i + 1}::int`).join(' + ')} AS sum`, ...values);
        return tx.$queryRaw<Array<{ name: string; statement: string }>>`SELECT name, statement FROM pg_prepared_statements`;
      });
    } finally {
      await prisma.$disconnect();
      await connection.close();
    }
  }

  it('prepares a statement once under its name and runs it by name after', async () => {
    const prepared = await preparedAfterTwoRuns(true);
    const counts = prepared.filter((p) => p.statement.includes('count(*) AS users'));
    expect(counts).toHaveLength(1);
    expect(counts[0]?.name).toMatch(/^kc_/);
    expect(prepared.some((p) => p.statement.includes('$70::int'))).toBe(false);
  });

  it('prepares nothing by name when switched off', async () => {
    const prepared = await preparedAfterTwoRuns(false);
    expect(prepared.filter((p) => p.name.startsWith('kc_'))).toEqual([]);
  });
});

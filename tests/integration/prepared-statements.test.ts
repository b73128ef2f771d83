// On the local PostgreSQL server, through the app's own openDatabase: a statement marked `prepared` is
// prepared once per connection under its name (lib/db/statement-names), others are not, and nothing is
// when DATABASE_PREPARED_STATEMENTS is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db';
import { prepared } from '@/lib/db/statement-names';
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

  /** Runs a marked and an unmarked statement twice each on one connection; returns what it prepared. */
  async function afterTwoRuns(preparedStatements: boolean): Promise<Array<{ name: string; statement: string }>> {
    const config = database.databaseConfig;
    if (config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const { prisma, close } = await openDatabase({ ...config, preparedStatements }, { migrate: false, seed: false });
    try {
      // One transaction: every statement on the same pooled connection.
      return await prisma.$transaction(async (tx) => {
        for (const n of [1, 2]) {
          const [marked] = await tx.$queryRaw<Array<{ users: bigint }>>(prepared`SELECT count(*) AS users FROM "User" WHERE ${n}::int > 0`);
          expect(marked?.users).toBe(0n);
          const [plain] = await tx.$queryRaw<Array<{ messages: bigint }>>`SELECT count(*) AS messages FROM "Message" WHERE ${n}::int > 0`;
          expect(plain?.messages).toBe(0n);
        }
        return tx.$queryRaw<Array<{ name: string; statement: string }>>`SELECT name, statement FROM pg_prepared_statements`;
      });
    } finally {
      await close();
    }
  }

  it('prepares a marked statement once under its name, and no other', async () => {
    const statements = await afterTwoRuns(true);
    const marked = statements.filter((p) => p.statement.includes('count(*) AS users'));
    expect(marked).toHaveLength(1);
    expect(marked[0]?.name).toMatch(/^kc_/);
    expect(statements.some((p) => p.statement.includes('count(*) AS messages'))).toBe(false);
  });

  it('prepares nothing by name when switched off', async () => {
    const statements = await afterTwoRuns(false);
    expect(statements.filter((p) => p.name.startsWith('kc_'))).toEqual([]);
  });
});

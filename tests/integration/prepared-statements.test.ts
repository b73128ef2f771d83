// On the local PostgreSQL server and on PGlite, through the app's own openDatabase: a statement marked
// `prepared` is prepared once (per connection) under its name (lib/db/statement-names,
// lib/db/pglite-prepared), others are not, and nothing is when DATABASE_PREPARED_STATEMENTS is off. On
// PGlite, where the named path is our own protocol code, also: the same rows, the same errors, and the same
// locks as PGlite's query().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type PrismaClient } from '@/lib/db';
import { Prisma } from '@/lib/db/generated/client';
import { prepared } from '@/lib/db/statement-names';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/db';

interface Named {
  name: string;
  statement: string;
  runs: bigint;
}

describe.each(DATABASE_KINDS)('named prepared statements (%s)', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.close();
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  /** Runs a marked and an unmarked statement twice each (on one connection); returns what is prepared by name. */
  async function afterTwoRuns(preparedStatements: boolean): Promise<Named[]> {
    const { prisma, close } = await openDatabase({ ...database.databaseConfig, preparedStatements }, { migrate: false, seed: false });
    const run = async (db: Prisma.TransactionClient | PrismaClient) => {
      for (const n of [1, 2]) {
        const [marked] = await db.$queryRaw<Array<{ users: bigint }>>(prepared`SELECT count(*) AS users FROM "User" WHERE ${n}::int > 0`);
        expect(marked?.users).toBe(0n);
        const [plain] = await db.$queryRaw<Array<{ messages: bigint }>>`SELECT count(*) AS messages FROM "Message" WHERE ${n}::int > 0`;
        expect(plain?.messages).toBe(0n);
      }
      return db.$queryRaw<Named[]>`SELECT name, statement, (generic_plans + custom_plans)::bigint AS runs FROM pg_prepared_statements`;
    };
    try {
      // PostgreSQL: one transaction keeps every statement on one pooled connection. PGlite has one
      // connection, and runs statements inside a transaction the plain way.
      return kind === 'postgres' ? await prisma.$transaction(run) : await run(prisma);
    } finally {
      await close();
    }
  }

  it('prepares a marked statement once under its name, and no other', async () => {
    const statements = await afterTwoRuns(true);
    const marked = statements.filter((p) => p.statement.includes('count(*) AS users'));
    expect(marked).toHaveLength(1);
    expect(marked[0]?.name).toMatch(/^kc_/);
    expect(marked[0]?.runs).toBe(2n);
    expect(statements.some((p) => p.statement.includes('count(*) AS messages'))).toBe(false);
  });

  it('prepares nothing by name when switched off', async () => {
    const statements = await afterTwoRuns(false);
    expect(statements.filter((p) => p.name.startsWith('kc_'))).toEqual([]);
  });
});

describe('PGlite: a marked statement run by name behaves as PGlite runs it', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    prisma = database.prisma;
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  /** One statement's text, run marked (by name) and unmarked (PGlite's query()). */
  function both(strings: TemplateStringsArray, ...values: unknown[]): [Prisma.Sql, Prisma.Sql] {
    return [prepared(strings, ...values), Prisma.sql(strings, ...values)];
  }

  it('returns the same rows for every kind of value, in and out', async () => {
    const at = new Date('2026-12-03T04:05:06.789Z');
    const [marked, plain] =
      both`SELECT ${crypto.randomUUID()}::uuid AS id, ${'naïve 😀'}::text AS t, ${JSON.stringify({ a: [1, 'x'], b: null })}::jsonb AS j,
      ${at}::timestamptz AS at, ${9007199254740993n}::bigint AS big, ${'12.3456'}::numeric AS num, ${true}::boolean AS yes,
      ${null}::text AS nothing, ${Buffer.from([0, 1, 255])}::bytea AS bytes, ${['a', 'b']}::text[] AS list, ${2.5}::float8 AS f`;
    const [byName] = await prisma.$queryRaw<unknown[]>(marked);
    const [plainly] = await prisma.$queryRaw<unknown[]>(plain);
    expect(byName).toEqual(plainly);
    expect(byName).toMatchObject({ t: 'naïve 😀', big: 9007199254740993n, yes: true, nothing: null, list: ['a', 'b'], f: 2.5 });
  });

  it('reports a constraint violation exactly as PGlite does, and the next statement runs', async () => {
    const email = `dup-${crypto.randomUUID()}@example.com`;
    await prisma.user.create({ data: { email } });
    const [marked, plain] = both`INSERT INTO "User" (id, email, "updatedAt") VALUES (${crypto.randomUUID()}::uuid, ${email}, now())`;
    const failure = (sql: Prisma.Sql) =>
      prisma.$executeRaw(sql).then(
        () => undefined,
        (error: unknown) => error,
      );
    const [byName, plainly] = [await failure(marked), await failure(plain)];
    expect(byName).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    const summary = (e: unknown) => {
      const { code, meta } = e as Prisma.PrismaClientKnownRequestError;
      return { code, meta };
    };
    expect(summary(byName)).toEqual(summary(plainly));
    expect(JSON.stringify(summary(byName))).toContain('23505');
    // The failed statement left no aborted transaction behind.
    const [after] = await prisma.$queryRaw<Array<{ n: bigint }>>(prepared`SELECT count(*) AS n FROM "User" WHERE email = ${email}`);
    expect(after?.n).toBe(1n);
  });

  it('reports the rows a marked write changed', async () => {
    const email = `count-${crypto.randomUUID()}@example.com`;
    await prisma.user.create({ data: { email } });
    expect(await prisma.$executeRaw(prepared`UPDATE "User" SET name = ${'Ada'} WHERE email = ${email}`)).toBe(1);
    expect(await prisma.$executeRaw(prepared`UPDATE "User" SET name = ${'Ada'} WHERE email = ${`none-${email}`}`)).toBe(0);
  });

  it('prepares a statement again when a schema change or DEALLOCATE made its name unusable', async () => {
    await prisma.$executeRawUnsafe('CREATE TABLE prepared_probe (a int)');
    await prisma.$executeRawUnsafe('INSERT INTO prepared_probe VALUES (1)');
    const read = () => prisma.$queryRaw<Array<Record<string, number>>>(prepared`SELECT * FROM prepared_probe WHERE a = ${1}`);
    expect(await read()).toEqual([{ a: 1 }]);
    // The kept plan's result type changes: Postgres refuses the old statement (0A000).
    await prisma.$executeRawUnsafe('ALTER TABLE prepared_probe ADD COLUMN b int DEFAULT 7');
    expect(await read()).toEqual([{ a: 1, b: 7 }]);
    // The name is gone (26000).
    await prisma.$executeRawUnsafe('DEALLOCATE ALL');
    expect(await read()).toEqual([{ a: 1, b: 7 }]);
  });

  it('never runs inside another caller’s open transaction', async () => {
    const email = `tx-${crypto.randomUUID()}@example.com`;
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    const rolledBack = prisma
      .$transaction(async (tx) => {
        await tx.user.create({ data: { email } });
        inserted();
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw new Error('roll back');
      })
      .catch((error: unknown) => error);
    await insertedOnce;
    // Issued while the transaction holds its row: it must wait for the rollback, not see the row.
    const [seen] = await prisma.$queryRaw<Array<{ n: bigint }>>(prepared`SELECT count(*) AS n FROM "User" WHERE email = ${email}`);
    expect(await rolledBack).toBeInstanceOf(Error);
    expect(seen?.n).toBe(0n);
  });
});

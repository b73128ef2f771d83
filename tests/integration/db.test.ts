// The database layer on embedded PGlite and on the local PostgreSQL server: migrations, data round-trips,
// price seeding, the PGlite folder lock and the lazy per-process singleton.
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, openDatabase, Prisma, type PrismaClient } from '@/lib/db';
import { type Connection, connectPglite, connectPostgres } from '@/lib/db/adapters';
import { PrismaClient as GeneratedClient } from '@/lib/db/generated/client';
import { acquireDataDirLock, LOCK_FILE_NAME } from '@/lib/db/lock';
import { applyMigrations, applyWithEngine, findMigrationsDir, listMigrationNames } from '@/lib/db/migrate';
import { seedPrices } from '@/lib/db/seed';
import { getModel, MODELS } from '@/lib/kimi/catalog';
import { createEmptyPostgresDatabase, createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/db';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const migrationsDir = findMigrationsDir(repoRoot);
/** A child process starts tsx and opens a database: seconds when idle, much more on a shared busy machine. */
const CHILD_TIMEOUT = 90_000;
// The catalog's prices, plus the web-search fee row in each currency.
const catalogPriceCount = MODELS.reduce((n, m) => n + Object.values(m.prices).filter(Boolean).length, 0) + 2;

/** Runs tests/support/db-child.ts in its own process; never throws on a non-zero exit. */
async function child(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATA_DIR;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'tests/support/db-child.ts', ...args], {
      cwd: repoRoot,
      env: { ...base, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function lastJsonLine(text: string): Record<string, unknown> {
  const line = text.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}

function connectTo(database: TestDatabase): Promise<Connection> | Connection {
  const c = database.databaseConfig;
  return c.kind === 'pglite' ? connectPglite(c.dataDir) : connectPostgres(c.url);
}

describeEachDatabase('migrations', (kind) => {
  let t: TestDatabase;
  let connection: Connection;
  let prisma: PrismaClient;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await t.close(); // this suite works on the raw connection
    connection = await connectTo(t);
    prisma = new GeneratedClient({ adapter: connection.client });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await connection?.close();
    await t?.cleanup();
  });

  const rows = () =>
    prisma.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; logs: string | null }[]>`
      SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY migration_name`;

  it('records every migration in _prisma_migrations as prisma migrate deploy does', async () => {
    const names = listMigrationNames(migrationsDir);
    expect(names.length).toBeGreaterThan(0);
    const recorded = await rows();
    expect(recorded.map((r) => r.migration_name)).toEqual(names);
    for (const row of recorded) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      const sql = fs.readFileSync(path.join(migrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    }
  });

  it('applying again is a no-op, with and without the engine', async () => {
    const before = await rows();
    expect(await applyMigrations(connection.migrations, { migrationsDir })).toEqual({ applied: [], engineRan: false });
    expect(await applyWithEngine(connection.migrations, migrationsDir)).toEqual([]);
    expect(await rows()).toEqual(before);
  });

  it('applies a new migration once, and refuses to go on past a failed one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-chat-migrations-'));
    try {
      fs.cpSync(migrationsDir, dir, { recursive: true });
      fs.mkdirSync(path.join(dir, '29990101000000_extra'));
      fs.writeFileSync(path.join(dir, '29990101000000_extra', 'migration.sql'), 'CREATE TABLE "Extra" ("id" INTEGER PRIMARY KEY);\n');
      expect(await applyMigrations(connection.migrations, { migrationsDir: dir })).toEqual({ applied: ['29990101000000_extra'], engineRan: true });
      expect(await applyMigrations(connection.migrations, { migrationsDir: dir })).toEqual({ applied: [], engineRan: false });
      expect(await prisma.$queryRaw`SELECT count(*)::int AS n FROM "Extra"`).toEqual([{ n: 0 }]);

      // A failing script must fail the run (pglite-prisma-adapter alone would record it as applied).
      fs.mkdirSync(path.join(dir, '29990102000000_broken'));
      fs.writeFileSync(path.join(dir, '29990102000000_broken', 'migration.sql'), 'ALTER TABLE "NoSuchTable" ADD COLUMN "x" INTEGER;\n');
      await expect(applyMigrations(connection.migrations, { migrationsDir: dir })).rejects.toThrow(/NoSuchTable/);
      const broken = (await rows()).find((r) => r.migration_name === '29990102000000_broken');
      expect(broken?.finished_at).toBeNull();
      await expect(applyMigrations(connection.migrations, { migrationsDir: dir })).rejects.toThrow(/29990102000000_broken/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeEachDatabase('data', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(() => t?.cleanup());

  it('round-trips users, conversations, messages in seq order, and exact Decimal costs', async () => {
    const { prisma } = t;
    const user = await prisma.user.create({ data: { email: `u-${randomUUID()}@example.com`, passwordHash: 'x' } });
    expect(user.role).toBe('user');
    const conversation = await prisma.conversation.create({ data: { id: randomUUID(), userId: user.id, model: 'kimi-k2.6' } });
    // Same timestamp on purpose: only seq orders them.
    const at = new Date('2026-01-01T00:00:00.000Z');
    for (const [i, role] of (['user', 'assistant', 'user'] as const).entries()) {
      await prisma.message.create({
        data: { id: `m-${i}-${randomUUID()}`, conversationId: conversation.id, role, parts: [{ type: 'text', text: `t${i}` }], createdAt: at },
      });
    }
    const messages = await prisma.message.findMany({ where: { conversationId: conversation.id }, orderBy: { seq: 'asc' } });
    expect(messages.map((m) => (m.parts as { text: string }[])[0]?.text)).toEqual(['t0', 't1', 't2']);
    expect(typeof messages[0]?.seq).toBe('bigint');
    expect(messages[0]!.seq < messages[1]!.seq && messages[1]!.seq < messages[2]!.seq).toBe(true);

    const usage = await prisma.usage.create({
      data: {
        userId: user.id,
        conversationId: conversation.id,
        messageId: messages[1]!.id,
        purpose: 'chat',
        requestedModel: 'auto',
        servedModel: 'kimi-k2.6',
        promptTokens: 90,
        cachedTokens: 90,
        completionTokens: 34,
        reasoningTokens: 17,
        cost: new Prisma.Decimal('0.0001344630'),
        currency: 'CNY',
        durationMs: 812,
        outcome: 'ok',
      },
    });
    const read = await prisma.usage.findUniqueOrThrow({ where: { id: usage.id } });
    expect(read.cost.toFixed(10)).toBe('0.0001344630');
    const sum = await prisma.usage.aggregate({ where: { userId: user.id }, _sum: { cost: true } });
    expect(sum._sum.cost?.toString()).toBe('0.000134463');

    // Deleting a conversation keeps its usage (the ledger) but unlinks it; deleting the user removes all.
    await prisma.conversation.delete({ where: { id: conversation.id } });
    expect(await prisma.message.count({ where: { conversationId: conversation.id } })).toBe(0);
    expect((await prisma.usage.findUniqueOrThrow({ where: { id: usage.id } })).conversationId).toBeNull();
    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.usage.count({ where: { userId: user.id } })).toBe(0);
  });

  it('enforces constraints', async () => {
    const email = `dup-${randomUUID()}@example.com`;
    await t.prisma.user.create({ data: { email, passwordHash: 'x' } });
    await expect(t.prisma.user.create({ data: { email, passwordHash: 'y' } })).rejects.toMatchObject({ code: 'P2002' });
  });

  it('seeds catalog prices once and never overwrites an edited price', async () => {
    const { prisma } = t;
    expect(await prisma.price.count()).toBe(catalogPriceCount);
    const edited = await prisma.price.findFirstOrThrow({ where: { model: 'kimi-k2.6', currency: 'CNY' } });
    expect(edited.input.toString()).toBe(String(getModel('kimi-k2.6').prices.CNY!.input));
    await prisma.price.update({ where: { id: edited.id }, data: { input: new Prisma.Decimal('7.25') } });
    await prisma.price.deleteMany({ where: { model: 'kimi-k3' } });

    expect(await seedPrices(prisma)).toBe(2); // kimi-k3 in CNY and USD
    expect(await seedPrices(prisma)).toBe(0);
    expect(await prisma.price.count()).toBe(catalogPriceCount);
    expect((await prisma.price.findUniqueOrThrow({ where: { id: edited.id } })).input.toString()).toBe('7.25');
    expect(await prisma.price.count({ where: { model: 'kimi-k2.6', currency: 'CNY' } })).toBe(1);
    // Retired models keep their seed prices: the ledger's history is still costed.
    expect(await prisma.price.count({ where: { model: 'moonshot-v1-8k' } })).toBe(2);
  });
});

describe('PGlite folder lock', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(() => t?.cleanup());

  it(
    'a second process gets a clear error and a non-zero exit',
    async () => {
      const dataDir = (t.databaseConfig as { dataDir: string }).dataDir;
      const result = await child(['open', dataDir], {});
      expect(result.code).not.toBe(0);
      const error = lastJsonLine(result.stderr);
      expect(error.name).toBe('DataDirLockedError');
      expect(error.message).toContain(dataDir);
      expect(error.message).toContain(`pid ${process.pid}`);
      expect(error.message).toMatch(/DATA_DIR/);
      expect(error.message).toMatch(/DATABASE_URL/);
      // The holder is unaffected.
      expect(await t.prisma.price.count()).toBe(catalogPriceCount);
    },
    CHILD_TIMEOUT,
  );

  it('this process cannot open the folder twice either', async () => {
    const attempt = openDatabase(t.databaseConfig);
    await expect(attempt).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(attempt).rejects.toThrow(/already open in this process/);
  });

  it('takes over a lock left by a dead process', async () => {
    await t.close();
    const dataDir = (t.databaseConfig as { dataDir: string }).dataDir;
    const lockPath = path.join(dataDir, LOCK_FILE_NAME);
    expect(fs.existsSync(lockPath)).toBe(false);

    const dead = await run(process.execPath, ['-e', 'console.log(process.pid)']);
    fs.writeFileSync(lockPath, JSON.stringify({ pid: Number(dead.stdout.trim()), host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const database = await openDatabase(t.databaseConfig);
    const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number; startedAt: string };
    expect(lock.pid).toBe(process.pid);
    expect(lock.startedAt).not.toBe('2026-01-01T00:00:00.000Z');
    await database.close();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it("takes over a lock naming our pid that this process does not hold (a restarted container's pid 1)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-chat-lock-'));
    try {
      const lockPath = path.join(dir, LOCK_FILE_NAME);
      fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
      const lock = acquireDataDirLock(dir);
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      lock.release();
      expect(fs.existsSync(lockPath)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('db() singleton', () => {
  it(
    'opens nothing at import; ten concurrent calls from two module copies share one PGlite instance',
    async () => {
      const t = await createTestDatabase('pglite');
      await t.close();
      try {
        const result = await child(['lazy'], t.env);
        expect(result.code, result.stderr).toBe(0);
        const out = lastJsonLine(result.stdout);
        expect(out.distinctModules).toBe(true);
        expect(out.distinctClients).toBe(1);
        expect(out.prices).toBe(catalogPriceCount);
        expect(out.afterImport).toMatchObject({ lockPid: null });
        expect(out.afterOpen).toMatchObject({ lockPid: out.pid });
        expect(out.afterClose).toMatchObject({ lockPid: null });
      } finally {
        await t.cleanup();
      }
    },
    CHILD_TIMEOUT,
  );

  it(
    'opens no PostgreSQL connection at import; migrates an empty database on first db()',
    async () => {
      const empty = await createEmptyPostgresDatabase();
      try {
        const result = await child(['lazy'], { DATABASE_URL: empty.url });
        expect(result.code, result.stderr).toBe(0);
        const out = lastJsonLine(result.stdout);
        expect(out.distinctClients).toBe(1);
        expect(out.prices).toBe(catalogPriceCount);
        expect(out.afterImport).toMatchObject({ connections: 0 });
        expect((out.afterOpen as { connections: number }).connections).toBeGreaterThan(0);
        expect(out.afterClose).toMatchObject({ connections: 0 });
      } finally {
        await empty.drop();
      }
    },
    CHILD_TIMEOUT,
  );
});

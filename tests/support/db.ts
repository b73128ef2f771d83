// Throwaway migrated (and price-seeded) databases for integration tests, on embedded PGlite or on the
// local PostgreSQL server. A suite written with describeEachDatabase runs identically on both.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import type { Config } from '@/lib/config';
import { openDatabase, type PrismaClient } from '@/lib/db';
import { findMigrationsDir, listMigrationNames } from '@/lib/db/migrate';
import { createEmptyPostgresDatabase, type DatabaseKind } from './postgres';

export { createEmptyPostgresDatabase, type DatabaseKind, databaseUrl, TEST_POSTGRES_URL, withAdmin } from './postgres';

export const DATABASE_KINDS: readonly DatabaseKind[] = ['pglite', 'postgres'];

export interface TestDatabase {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** DATA_DIR or DATABASE_URL for a spawned server. A PGlite folder admits one process: close() first. */
  env: Record<string, string>;
  databaseConfig: Config['database'];
  /** Closes this process's client (releasing a PGlite folder) and keeps the data. */
  close(): Promise<void>;
  /** Closes and deletes the database. */
  cleanup(): Promise<void>;
}

/**
 * A fresh PGlite folder's initdb takes seconds (over ten on a busy machine); copying a migrated folder
 * takes milliseconds. The template is shared by test processes and keyed by the migrations it holds.
 */
async function pgliteTemplate(): Promise<string> {
  const migrationsDir = findMigrationsDir();
  const hash = createHash('sha256');
  for (const name of listMigrationNames(migrationsDir)) hash.update(name).update(fs.readFileSync(path.join(migrationsDir, name, 'migration.sql')));
  const pgliteVersion = (JSON.parse(fs.readFileSync(path.resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string })
    .version;
  hash.update(pgliteVersion);
  const template = path.join(os.tmpdir(), `kimi-chat-pglite-template-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(template)) return template;

  const building = fs.mkdtempSync(`${template}.building-`);
  const database = await openDatabase({ kind: 'pglite', dataDir: building, preparedStatements: true });
  await database.close();
  try {
    fs.renameSync(building, template); // atomic; another process may have won the race
  } catch {
    fs.rmSync(building, { recursive: true, force: true });
  }
  return template;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-chat-test-'));
    // The layout config() derives from DATA_DIR.
    const dataDir = path.join(dataRoot, 'pglite');
    fs.cpSync(await pgliteTemplate(), dataDir, { recursive: true });
    const databaseConfig: Config['database'] = { kind: 'pglite', dataDir, preparedStatements: true };
    const database = await openDatabase(databaseConfig);
    return testDatabase(kind, database, { DATA_DIR: dataRoot }, databaseConfig, async () => fs.rmSync(dataRoot, { recursive: true, force: true }));
  }

  const empty = await createEmptyPostgresDatabase();
  const databaseConfig: Config['database'] = { kind: 'postgres', url: empty.url, preparedStatements: true };
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(databaseConfig);
  } catch (error) {
    await empty.drop();
    throw error;
  }
  return testDatabase(kind, database, { DATABASE_URL: empty.url }, databaseConfig, empty.drop);
}

/** Closing is idempotent; cleanup closes, then removes the data (`remove`). */
function testDatabase(
  kind: DatabaseKind,
  database: { prisma: PrismaClient; close(): Promise<void> },
  env: Record<string, string>,
  databaseConfig: Config['database'],
  remove: () => Promise<void>,
): TestDatabase {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await database.close();
  };
  return {
    kind,
    prisma: database.prisma,
    env,
    databaseConfig,
    close,
    cleanup: async () => {
      await close();
      await remove();
    },
  };
}

/** Runs the same suite once per database kind; `fn` gets the kind to pass to createTestDatabase. */
export function describeEachDatabase(name: string, fn: (kind: DatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) describe(`${name} [${kind}]`, () => fn(kind));
}

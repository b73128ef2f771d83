// The only way into the database. Opened lazily (`next build` imports route modules in several workers)
// and once per process: the start script (under tsx) and Next.js's bundled copy of this module share the
// instance through globalThis. No Next.js imports here: scripts use it too.
import { type Config, config } from '@/lib/config';
import { makePrivate, mkdirPrivate } from '@/lib/security/data-dir';
import { type Connection, connectPglite, connectPostgres } from './adapters';
import { PrismaClient } from './generated/client';
import { acquireDataDirLock } from './lock';
import { applyMigrations } from './migrate';
import { ensureDefaultsSeeded } from './seed';

export type { Conversation, Message, Price, Setting, Usage, User } from './generated/client';
export { MessageRole, MessageStatus, Prisma, Role } from './generated/client';
export { DataDirLockedError } from './lock';
export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  /** Migrations applied while opening (empty when none were pending or `migrate` was false). */
  appliedMigrations: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Seed default rows such as prices (default true; needs `migrate` or an already migrated database). */
  seed?: boolean;
  /** Defaults to prisma/migrations found from the working directory. */
  migrationsDir?: string;
}

async function connect(dbConfig: Config['database']): Promise<Connection> {
  if (dbConfig.kind === 'postgres') return connectPostgres(dbConfig.url, dbConfig.preparedStatements);
  mkdirPrivate(dbConfig.dataDir);
  const lock = acquireDataDirLock(dbConfig.dataDir);
  try {
    const connection = await connectPglite(dbConfig.dataDir, dbConfig.preparedStatements);
    // PGlite creates its files 0666: the files there now (all of a new database's) become 0600, and the
    // folder is 0700, so what it creates later is out of other users' reach too.
    makePrivate(dbConfig.dataDir);
    return {
      ...connection,
      close: async () => {
        try {
          await connection.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Prisma gives up on a transaction that waits over 2 s for a pooled connection (its default maxWait): at a busy
 * minute (200 users on 10 connections) answers and their ledger rows were lost that way. A turn's save waits
 * its turn instead; a transaction still may not run longer than `timeout`. The pool stays at 10 a process:
 * ledger rows written on their own share one transaction per batch (lib/usage/ledger-writer.ts, which retries
 * a failed batch row by row), so they hold one connection at a time, and on an overloaded machine more
 * connections would only add PostgreSQL backends competing for the same cores.
 */
const TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 15_000 } as const;

/** Opens a database without the process singleton: for tests and scripts. The caller closes it. */
export async function openDatabase(dbConfig: Config['database'], options: OpenOptions = {}): Promise<Database> {
  const connection = await connect(dbConfig);
  const prisma = new PrismaClient({ adapter: connection.client, transactionOptions: TRANSACTION_OPTIONS });
  const close = async () => {
    try {
      await prisma.$disconnect();
    } finally {
      await connection.close();
    }
  };
  try {
    const { applied } =
      options.migrate === false ? { applied: [] } : await applyMigrations(connection.migrations, { migrationsDir: options.migrationsDir });
    if (options.seed !== false) await ensureDefaultsSeeded(prisma);
    return { prisma, appliedMigrations: applied, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const SINGLETON = Symbol.for('kimi-chat.db');
type Global = Record<symbol, Promise<Database> | undefined>;
const global = globalThis as Global;

/** The process's database client, opened (migrated and seeded) on first use. */
export function db(): Promise<PrismaClient> {
  let opening = global[SINGLETON];
  if (!opening) {
    // A build that opens the embedded database leaves its lock behind and races the server: make it loud.
    if (process.env.NEXT_PHASE === 'phase-production-build') {
      return Promise.reject(new Error('The database was opened during `next build`: mark the page or route dynamic.'));
    }
    opening = (async () => openDatabase(config().database))(); // invalid settings reject, never throw
    global[SINGLETON] = opening;
    // A failed open is not cached: the next call tries again (e.g. once another process let go of the folder).
    opening.catch(() => {
      if (global[SINGLETON] === opening) global[SINGLETON] = undefined;
    });
  }
  return opening.then((d) => d.prisma);
}

/** Closes the process's database (releasing the PGlite folder); the next db() opens it again. */
export async function closeDb(): Promise<void> {
  const opening = global[SINGLETON];
  if (!opening) return;
  global[SINGLETON] = undefined;
  const database = await opening.catch(() => undefined);
  await database?.close();
}

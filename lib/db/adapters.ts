// Driver adapters for the two kinds of database: embedded PGlite and a PostgreSQL server.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { withPreparedStatements } from './pglite-prepared';
import { statementNamer } from './statement-names';

/** Connections of the app's Prisma client to a PostgreSQL server. */
const POOL_SIZE = 10;

export interface Connection {
  /** For the Prisma client. */
  client: SqlDriverAdapterFactory;
  /** For the schema engine; on a server it has its own single connection (its advisory lock needs one). */
  migrations: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

interface PgliteError {
  code: string;
  severity: string;
  message: string;
  detail?: string;
  column?: string;
  hint?: string;
}

function isPgliteError(error: unknown): error is PgliteError {
  const e = error as Partial<PgliteError> | null;
  return typeof e?.code === 'string' && typeof e.severity === 'string' && typeof e.message === 'string';
}

/**
 * pglite-prisma-adapter 0.7.2's executeScript neither awaits the script nor reports its errors, so a failing
 * migration would be recorded as applied. This adapter awaits it; `onDispose` closes a PGlite it owns.
 */
async function pgliteAdapter(client: PGlite, onDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(client).connect();
  adapter.executeScript = async (script) => {
    try {
      await client.exec(script);
    } catch (error) {
      if (!isPgliteError(error)) throw error;
      const { code, severity, message, detail, column, hint } = error;
      throw new DriverAdapterError({ kind: 'postgres', code, severity, message, detail, column, hint });
    }
  };
  if (onDispose) adapter.dispose = onDispose;
  return adapter;
}

async function memoryPglite(): Promise<SqlDriverAdapter> {
  const client = await PGlite.create('memory://');
  return pgliteAdapter(client, () => client.close());
}

/** Adapters on a shared PGlite instance; the shadow database for diffs is a fresh in-memory PGlite. */
function pgliteFactory(client: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pglite',
    connect: () => pgliteAdapter(client, async () => {}),
    connectToShadowDb: memoryPglite,
  };
}

/**
 * A throwaway in-memory database for computing diffs without touching the configured one. The engine
 * connects to the "main" database too, but a diff only uses the shadow: both are one PGlite, whose start
 * costs seconds. It closes when the last adapter on it is disposed.
 */
export function memoryFactory(): SqlMigrationAwareDriverAdapterFactory {
  let shared: Promise<PGlite> | undefined;
  let users = 0;
  const connect = async () => {
    shared ??= PGlite.create('memory://');
    users++;
    const client = await shared;
    return pgliteAdapter(client, async () => {
      if (--users === 0) {
        shared = undefined;
        await client.close();
      }
    });
  };
  return { provider: 'postgres', adapterName: '@prisma/adapter-pglite', connect, connectToShadowDb: connect };
}

/** `preparedStatements`: the statements marked `prepared` are run by name (./pglite-prepared). */
export async function connectPglite(dataDir: string, preparedStatements = true): Promise<Connection> {
  const client = await PGlite.create(dataDir);
  const factory = pgliteFactory(preparedStatements ? withPreparedStatements(client) : client);
  return { client: factory, migrations: factory, close: () => client.close() };
}

/** `preparedStatements`: the statements marked `prepared` are named, so each connection prepares them once (./statement-names). */
export function connectPostgres(url: string, preparedStatements = true): Connection {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  return {
    client: new PrismaPg(pool, preparedStatements ? { statementNameGenerator: statementNamer() } : undefined),
    migrations: new PrismaPg({ connectionString: url, max: 1 }),
    close: () => pool.end(),
  };
}

// Migrations through Prisma's schema engine compiled to WebAssembly (the CLI's engine binary cannot be
// downloaded offline). Rows land in `_prisma_migrations` exactly as `prisma migrate deploy` writes them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import { memoryFactory } from './adapters';

const LOCKFILE = 'migration_lock.toml';
const LOCKFILE_CONTENT = 'provider = "postgresql"\n';
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * `prisma/migrations` of the app. Both `next start` and the scripts run from the repo root, but a bundle's
 * __dirname means nothing, so search upwards from the working directory.
 */
export function findMigrationsDir(from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (fs.existsSync(path.join(candidate, LOCKFILE))) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`No prisma/migrations/${LOCKFILE} found in ${from} or above: run the app from its folder.`);
    }
  }
}

/** Migration folder names (`YYYYMMDDHHMMSS_name`), in the order they apply. */
export function listMigrationNames(migrationsDir: string): string[] {
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(migrationsDir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
}

export function readMigrationList(migrationsDir: string): MigrationList {
  const lockPath = path.join(migrationsDir, LOCKFILE);
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    migrationDirectories: listMigrationNames(migrationsDir).map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
    shadowDbInitScript: '',
  };
}

/**
 * The engine's .wasm file. Resolved from this module, and failing that from the working directory
 * (a Next.js bundle's import.meta.url need not point into the app's folder).
 */
function wasmFile(): string {
  const bases = [import.meta.url, path.join(process.cwd(), 'package.json')];
  for (const base of bases) {
    try {
      const glue = createRequire(base).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
      return path.join(path.dirname(glue), 'schema_engine_bg.wasm');
    } catch {
      // try the next base
    }
  }
  throw new Error('Cannot find @prisma/schema-engine-wasm: run npm install.');
}

type EngineModule = typeof import('@prisma/schema-engine-wasm');

/** The wasm module is instantiated once per process (and per copy of the JS glue, should there be two). */
const WASM = Symbol.for('kimi-chat.db.schemaEngineWasm');
const store = globalThis as Record<symbol, WeakMap<object, Promise<EngineModule>> | undefined>;

async function loadEngine(): Promise<EngineModule> {
  const bg: EngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const cache = (store[WASM] ??= new WeakMap());
  let ready = cache.get(bg);
  if (!ready) {
    ready = (async () => {
      const { instance } = await WebAssembly.instantiate(await fs.promises.readFile(wasmFile()), {
        './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
      });
      const internals = bg as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void };
      internals.__wbg_set_wasm(instance.exports);
      (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
      return bg;
    })();
    ready.catch(() => cache.delete(bg));
    cache.set(bg, ready);
  }
  return ready;
}

/**
 * The engine does not dispose the connections it opens. Left open, a server connection keeps holding the
 * engine's advisory lock (the next run waits for it) and an in-memory shadow PGlite keeps its memory.
 */
function disposingFactory(factory: SqlMigrationAwareDriverAdapterFactory) {
  const open = new Set<SqlDriverAdapter>();
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (open.delete(adapter)) await dispose();
    };
    open.add(adapter);
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => track(factory.connect()),
      connectToShadowDb: () => track(factory.connectToShadowDb()),
    } satisfies SqlMigrationAwareDriverAdapterFactory,
    disposeAll: async () => {
      await Promise.all([...open].map((adapter) => adapter.dispose()));
    },
  };
}

async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  datamodel: string | undefined,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngine();
  const connections = disposingFactory(factory);
  try {
    const engine = await SchemaEngine.new(
      { datamodels: datamodel === undefined ? undefined : [['schema.prisma', datamodel]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(connections.factory),
    );
    try {
      return await run(engine);
    } finally {
      engine.free();
    }
  } finally {
    await connections.disposeAll();
  }
}

/** Names recorded as successfully applied; empty when the table does not exist yet. */
async function appliedMigrationNames(factory: SqlMigrationAwareDriverAdapterFactory): Promise<Set<string>> {
  const adapter = await factory.connect();
  try {
    const exists = await adapter.queryRaw({ sql: `SELECT to_regclass('_prisma_migrations') IS NOT NULL`, args: [], argTypes: [] });
    if (exists.rows[0]?.[0] !== true) return new Set();
    const result = await adapter.queryRaw({
      sql: 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      args: [],
      argTypes: [],
    });
    return new Set(result.rows.map((row) => String(row[0])));
  } finally {
    await adapter.dispose();
  }
}

export interface ApplyResult {
  /** Migrations applied now, in order. */
  applied: string[];
  /** False when a plain query showed nothing pending and the engine was not started. */
  engineRan: boolean;
}

/**
 * Applies pending migrations from `migrationsDir`. Starting the engine costs far more than a query, so it
 * runs only when a folder is missing from `_prisma_migrations` (a failed or edited migration then surfaces
 * as the engine's own error).
 */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  { migrationsDir = findMigrationsDir() }: { migrationsDir?: string } = {},
): Promise<ApplyResult> {
  const applied = await appliedMigrationNames(factory);
  if (listMigrationNames(migrationsDir).every((name) => applied.has(name))) return { applied: [], engineRan: false };
  return { applied: await applyWithEngine(factory, migrationsDir), engineRan: true };
}

/** What `prisma migrate deploy` does: applies what is pending and returns the names applied. */
export async function applyWithEngine(factory: SqlMigrationAwareDriverAdapterFactory, migrationsDir = findMigrationsDir()): Promise<string[]> {
  const migrationsList = readMigrationList(migrationsDir);
  const result = await withEngine(factory, undefined, (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTERS }));
  return result.appliedMigrationNames;
}

/**
 * The SQL that takes a database from the existing migrations to `schema` (a schema.prisma text); empty
 * when nothing changed. The migrations replay on throwaway in-memory databases, never the app's.
 */
export async function diffMigration({ schema, migrationsDir = findMigrationsDir() }: { schema: string; migrationsDir?: string }): Promise<string> {
  const list = readMigrationList(migrationsDir);
  const result = await withEngine(memoryFactory(), schema, (engine) =>
    engine.diff({
      from: list.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...list },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    }),
  );
  const sql = result.stdout ?? '';
  // An empty diff is a comment line only.
  return sql.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')) ? sql : '';
}

export { LOCKFILE, LOCKFILE_CONTENT };

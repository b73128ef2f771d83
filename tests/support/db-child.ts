// A separate process for the database tests (run with `node --import tsx`); prints one JSON line.
//   open <dataDir>  open the PGlite folder, report, close (exit 1 with the error's name and message on failure)
//   lazy            import lib/db (twice, as Next.js's bundle and the start script do), report what is open,
//                   then call db() concurrently from both copies, report again, closeDb(), report again
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { config } from '@/lib/config';
import { LOCK_FILE_NAME } from '@/lib/db/lock';

type DbModule = typeof import('@/lib/db');

async function connectionsTo(database: string): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
    return result.rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

async function snapshot(): Promise<{ dataDirExists: boolean; lockPid: number | null; connections: number | null }> {
  const database = config().database;
  if (database.kind === 'postgres') {
    return { dataDirExists: false, lockPid: null, connections: await connectionsTo(new URL(database.url).pathname.slice(1)) };
  }
  const lockPath = path.join(database.dataDir, LOCK_FILE_NAME);
  const lockPid = fs.existsSync(lockPath) ? (JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number }).pid : null;
  return { dataDirExists: fs.existsSync(database.dataDir), lockPid, connections: null };
}

async function lazy(): Promise<void> {
  const first = (await import('@/lib/db')) as DbModule;
  // A second evaluation of the module, like the copy Next.js bundles into its server chunks.
  const copySpecifier = new URL('../../lib/db/index.ts?copy', import.meta.url).href;
  const second = (await import(copySpecifier)) as DbModule;
  const afterImport = await snapshot();
  const clients = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first : second).db()));
  const afterOpen = await snapshot();
  const prices = await clients[0]!.price.count();
  await second.closeDb();
  // A server backend leaves pg_stat_activity a moment after its client hung up.
  let afterClose = await snapshot();
  for (let i = 0; i < 20 && (afterClose.connections ?? 0) > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    afterClose = await snapshot();
  }
  console.log(
    JSON.stringify({
      pid: process.pid,
      distinctModules: first !== second,
      distinctClients: new Set(clients).size,
      prices,
      afterImport,
      afterOpen,
      afterClose,
    }),
  );
}

async function open(dataDir: string): Promise<void> {
  const { openDatabase } = (await import('@/lib/db')) as DbModule;
  const database = await openDatabase({ kind: 'pglite', dataDir, preparedStatements: true });
  console.log(JSON.stringify({ pid: process.pid, opened: true }));
  await database.close();
}

const [mode, arg] = process.argv.slice(2);
const run = mode === 'lazy' ? lazy() : mode === 'open' && arg ? open(arg) : Promise.reject(new Error(`usage: db-child open <dir> | lazy`));
run.catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  console.error(JSON.stringify({ name: e.name, message: e.message }));
  process.exit(1);
});

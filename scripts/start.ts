// `npm start` (and `npm run dev` with --dev): one process that builds the app when the build is missing
// or older than the sources, opens the database (applying migrations), starts the Kimi simulator when
// no MOONSHOT_API_KEY is set, and serves Next.js. With INSTANCES > 1 (PostgreSQL and Redis) that process
// forks that many workers with Node's cluster, which share the one port; each serves Next.js itself.
// The gateway's chat calls (`POST /api/v1/chat/completions`) and the browser's chat turns (`POST /api/chat`)
// are served on node:http before Next's router (lib/gateway/node-server.ts, lib/chat/node-route.ts);
// `--dev` leaves them to the Next.js routes.
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIsCurrent, recordBuild } from './build-stamp';
import { runtimeProblem } from './runtime';

const tooOld = runtimeProblem();
if (tooOld) {
  console.error(`[start] ${tooOld}`);
  process.exit(1);
}

const { values: args } = parseArgs({ options: { dev: { type: 'boolean', default: false } } });
const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = '1';
(process.env as Record<string, string>).NODE_ENV = args.dev ? 'development' : 'production';

async function main(): Promise<void> {
  const { config, resetConfigForProcess } = await import('../lib/config');
  const settings = config();
  if (cluster.isWorker) return serve();

  if (!args.dev && !buildIsCurrent(root)) {
    console.log('[start] building the app (first start, or the sources changed)…');
    const build = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env: process.env });
    if (build.status !== 0) throw new Error('next build failed');
    recordBuild(root);
  }

  // The data folder is the server's alone (lib/security/data-dir.ts): whatever this process creates from
  // here on is private, and what an earlier start (or version) left is made so.
  process.umask(0o077);
  const { makePrivate } = await import('../lib/security/data-dir');
  const fixed = makePrivate(settings.dataDir);
  if (fixed > 0) console.log(`[start] made ${fixed} file(s) and folder(s) in ${settings.dataDir} private to this user`);

  const { ensureAuthSecret } = await import('../lib/auth/secret');
  ensureAuthSecret();

  let stopSimulator: (() => Promise<void>) | undefined;
  if (settings.kimi.mode === 'simulator') {
    const { startSimulator } = await import('../sim');
    const key = `sk-sim-${crypto.randomUUID()}`;
    const sim = await startSimulator({
      port: settings.simulator.port,
      apiKeys: [key],
      ttftMs: settings.simulator.ttftMs,
      tokensPerSecond: settings.simulator.tokensPerSecond,
      currency: settings.kimi.currency,
    });
    // Workers inherit these: they all call this one simulator.
    process.env.KIMI_SIMULATOR_URL = sim.url;
    process.env.KIMI_SIMULATOR_KEY = key;
    resetConfigForProcess();
    stopSimulator = () => sim.close();
    console.log(`[start] no MOONSHOT_API_KEY: answers come from the Kimi simulator at ${sim.url}`);
  }

  const { db, closeDb } = await import('../lib/db');
  const { markInterruptedAnswers } = await import('../lib/chat/live/recovery');
  const prisma = await db();
  // The embedded database has one writer, this process: every answer still streaming is orphaned.
  const interrupted = await markInterruptedAnswers(prisma, settings.database.kind === 'pglite' ? 0 : settings.recovery.staleAfterMs);
  if (interrupted > 0) console.log(`[start] marked ${interrupted} unfinished answer(s) as interrupted`);

  if (settings.instances === 1) return serve(stopSimulator);

  // The primary only forks and watches: the workers open their own pools and serve.
  await closeDb();
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < settings.instances; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    // A crashed worker's answers are marked interrupted by the others' recovery sweep; serve on.
    console.error(`[start] worker ${worker.process.pid} exited (${signal ?? code}): starting another`);
    fork();
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[start] ${signal}: shutting down ${settings.instances} workers`);
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    await stopSimulator?.().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Serves Next.js in this process (the only one, or a cluster worker). */
async function serve(stopSimulator?: () => Promise<void>): Promise<void> {
  const { config } = await import('../lib/config');
  const settings = config();
  const { db, closeDb } = await import('../lib/db');
  const { startRecoveryLoop } = await import('../lib/chat/live/recovery');
  const { closeStreamRelay, processRelay } = await import('../lib/chat/live/redis-relay');
  const { flushLedgerWrites } = await import('../lib/usage/ledger-writer');
  if (settings.security.redisUrl) {
    // Connected before the first request: a resume or Stop arriving first would otherwise wait on it.
    if (!(await processRelay(settings.security.redisUrl).whenUp(3_000)))
      console.warn('[start] Redis is not reachable yet: live answers are shared once it is');
  }
  // Each process touches the answers it streams, and sweeps those nobody touches any more.
  const stopRecovery = startRecoveryLoop(await db(), settings.recovery);

  const { default: next } = await import('next');
  const app = next({ dev: args.dev, dir: root, hostname: settings.host, port: settings.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Handed over by the built app when it started (instrumentation.ts registers them while its modules load,
  // which can finish after prepare() returns).
  const gateway = args.dev ? undefined : await handedOver((await import('../lib/gateway/hot-path')).nodeGateway, 15_000);
  if (gateway) console.log('[start] /api/v1/chat/completions and /api/chat are served on node:http (the hot paths)');
  else if (!args.dev) console.warn('[start] the hot paths are missing: /api/v1 and /api/chat calls go through Next.js');
  const server = createServer((req, res) => {
    // The socket's address for per-IP rate limits (lib/security/client-ip.ts); replaces any client-sent value.
    req.headers['x-kimi-client-ip'] = req.socket.remoteAddress ?? '';
    if (gateway?.(req, res)) return;
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  // In a cluster worker, listen() shares the primary's socket: every worker accepts on the one port.
  await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const where = `http://${settings.host === '0.0.0.0' ? 'localhost' : settings.host}:${port}`;
  if (cluster.isWorker) console.log(`[start] worker ${process.pid} is serving ${where} (Node ${process.versions.node})`);
  else console.log(`[start] Kimi Chat is ready on ${where} (Node ${process.versions.node})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!cluster.isWorker) console.log(`[start] ${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    stopRecovery();
    await closeStreamRelay().catch(() => undefined);
    // Ledger rows handed over but waiting for their group commit (lib/usage/ledger-writer.ts) go in first.
    await flushLedgerWrites().catch(() => undefined);
    await closeDb().catch(() => undefined);
    await stopSimulator?.().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** What `read` returns once it returns something, or undefined after `withinMs`. */
async function handedOver<T>(read: () => T | undefined, withinMs: number): Promise<T | undefined> {
  const deadline = Date.now() + withinMs;
  for (let value = read(); ; value = read()) {
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// The real app as a child process (`node --import tsx scripts/start.ts`, built), on a throwaway database, for
// crash tests and benchmarks: start it, SIGKILL its whole process group, start it again on the same data.
// Plain Node only (no test-runner imports), so Playwright specs and bench scripts can both use it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { hashPassword } from '../../lib/auth/password';
import { parseConfig } from '../../lib/config';
import { openDatabase, type PrismaClient } from '../../lib/db';
import { createEmptyPostgresDatabase, type DatabaseKind } from './postgres';

export type { DatabaseKind };

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A fresh database and data folder; `env` is what the server needs to use them. */
export interface ThrowawayDatabase {
  kind: DatabaseKind;
  env: { DATA_DIR: string; DATABASE_URL: string };
  /** Opens the database in this process (a PGlite folder only while no server holds it), runs, closes. */
  use<T>(run: (prisma: PrismaClient) => Promise<T>): Promise<T>;
  /** Deletes the folder and drops the PostgreSQL database (even with connections left by a killed server). */
  cleanup(): Promise<void>;
}

export async function createThrowawayDatabase(kind: DatabaseKind): Promise<ThrowawayDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kimi-chat-proc-'));
  let databaseUrl = '';
  let drop = async () => {};
  if (kind === 'postgres') {
    ({ url: databaseUrl, drop } = await createEmptyPostgresDatabase());
  }
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
  // The same derivation the server makes (PGlite lives in a sub-folder of DATA_DIR).
  const databaseConfig = parseConfig(env).database;
  return {
    kind,
    env,
    use: async (run) => {
      const database = await openDatabase(databaseConfig);
      try {
        return await run(database.prisma);
      } finally {
        await database.close();
      }
    },
    cleanup: async () => {
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
  /** A session cookie for the server started with the same AUTH_SECRET. */
  cookie: string;
}

/** Creates users directly in the database (no sign-up rate limit), each with a signed session cookie. */
export async function createUsers(database: ThrowawayDatabase, count: number, secret: string, prefix = 'user'): Promise<TestUser[]> {
  const passwordHash = await hashPassword('correct horse battery staple');
  const rows = await database.use((prisma) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        prisma.user.create({ data: { email: `${prefix}-${i}-${randomBytes(3).toString('hex')}@example.com`, passwordHash } }),
      ),
    ),
  );
  return Promise.all(
    rows.map(async (user) => {
      const token = await encode({
        token: { sub: user.id, id: user.id, email: user.email, role: user.role, sessionVersion: user.sessionVersion },
        secret,
        salt: 'authjs.session-token',
      });
      return { id: user.id, email: user.email, cookie: `authjs.session-token=${token}` };
    }),
  );
}

/**
 * A port nobody listens on: any the system picks, or with TEST_PORTS=first-last (a machine shared by several
 * runs, each given its own ports) the first free one in that range.
 */
export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.TEST_PORTS ?? '');
  if (!range) return listenOnce(0);
  for (let port = Number(range[1]); port <= Number(range[2]); port++) {
    const free = await listenOnce(port).catch(() => undefined);
    if (free !== undefined) return free;
  }
  throw new Error(`No free port in TEST_PORTS=${process.env.TEST_PORTS}`);
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  origin: string;
  /** The process group (the server and any cluster workers): what a CPU reading sums. */
  pgid: number;
  /** Everything the process printed (for diagnostics and for checking start-up messages). */
  output(): string;
  /** A crash: SIGKILL to the whole process group (the server and any cluster workers), resolved once the server is gone. */
  kill(): Promise<void>;
  /** A clean stop: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  database: ThrowawayDatabase;
  secret: string;
  /** The Kimi endpoint (a simulator); the key it accepts. */
  kimi: { baseURL: string; apiKey: string };
  /** Extra settings, e.g. raised rate limits. */
  env?: Record<string, string>;
  /** A fixed port (e.g. one an OIDC issuer's redirect URI names); default: any free port. */
  port?: number;
  /** Building on a stale tree and a cold start on a loaded machine can take minutes. */
  readyTimeoutMs?: number;
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  // Node itself with tsx's loader, not the `tsx` CLI: the CLI relays a group's SIGTERM to its child and
  // SIGKILLs it when the child's acknowledgement loses a 30 ms race, so a clean stop was not always clean
  // (and a `--cpu-prof` profile of the server was never written).
  // This process's Node (the project's, from the npm scripts), not whichever `node` is first on PATH.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    // Its own process group, so a kill reaches every process of the server and nothing else.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...options.database.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_SECRET: options.secret,
      AUTH_URL: origin,
      MOONSHOT_API_KEY: options.kimi.apiKey,
      MOONSHOT_BASE_URL: options.kimi.baseURL,
      NEXT_TELEMETRY_DISABLED: '1',
      ...options.env,
    },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  // Done means the whole group is gone (a cluster's workers too).
  const groupGone = () =>
    waitFor(
      () => {
        try {
          process.kill(-child.pid!, 0);
          return false;
        } catch {
          return true;
        }
      },
      30_000,
      'the server process group to exit',
    );
  const server: ServerProcess = {
    origin,
    pgid: child.pid!,
    output: () => output,
    kill: async () => {
      signalGroup('SIGKILL');
      await exited;
      await groupGone();
    },
    stop: async (graceMs = 10_000) => {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      await groupGone().catch(() => signalGroup('SIGKILL'));
      clearTimeout(timer);
      await groupGone();
    },
  };
  try {
    await waitForHealth(origin, child, options.readyTimeoutMs ?? 300_000, () => output);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

async function waitForHealth(origin: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during start-up:\n${output().slice(-3000)}`);
    try {
      const res = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy within ${timeoutMs} ms:\n${output().slice(-3000)}`);
}

/** Polls until `check` returns a value (not undefined, null or false), or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the client saw of one chat turn, in order of arrival. */
export interface TurnObservation {
  /** HTTP status; null when no response came. */
  status: number | null;
  /** Milliseconds from sending the request to the first text chunk; null when none came. */
  firstTextMs: number | null;
  /** The `finish` chunk arrived (the answer is complete as far as the client knows). */
  finished: boolean;
  /** The body was read to its end without a transport error. */
  closed: boolean;
  text: string;
  error?: string;
}

export interface ChatTurnRequest {
  conversationId: string;
  messageId: string;
  text: string;
  /** A served model id, or Auto (the default). */
  model?: string;
  /** The conversation's thinking switch (K2.6); absent: the app's default (on). */
  thinking?: boolean;
}

/** Sends one turn to POST /api/chat as useChat does and reads the UI message stream incrementally. */
export async function streamTurn(
  origin: string,
  user: TestUser,
  turn: ChatTurnRequest,
  onProgress?: (seen: TurnObservation) => void,
): Promise<TurnObservation> {
  const seen: TurnObservation = { status: null, firstTextMs: null, finished: false, closed: false, text: '' };
  const sentAt = performance.now();
  try {
    const res = await fetch(`${origin}/api/chat`, {
      method: 'POST',
      headers: { cookie: user.cookie, 'content-type': 'application/json', origin },
      body: JSON.stringify({
        id: turn.conversationId,
        trigger: 'submit-message',
        message: { id: turn.messageId, role: 'user', parts: [{ type: 'text', text: turn.text }] },
        settings: {
          model: turn.model ?? 'auto',
          systemPrompt: '',
          temperature: null,
          ...(turn.thinking === undefined ? {} : { thinking: turn.thinking }),
        },
      }),
    });
    seen.status = res.status;
    onProgress?.(seen);
    if (res.status !== 200 || !res.body) {
      seen.error = (await res.text()).slice(0, 500);
      return seen;
    }
    let buffer = '';
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      buffer += decoder.decode(next.value, { stream: true });
      const events = buffer.split('\n\n');
      buffer = events.pop() ?? '';
      for (const event of events) {
        const data = event.startsWith('data: ') ? event.slice(6) : '';
        if (data === '' || data === '[DONE]') continue;
        const chunk = JSON.parse(data) as { type: string; delta?: string };
        if (chunk.type === 'text-delta') {
          seen.firstTextMs ??= performance.now() - sentAt;
          seen.text += chunk.delta ?? '';
        } else if (chunk.type === 'finish') {
          seen.finished = true;
        }
      }
      onProgress?.(seen);
    }
    seen.closed = true;
  } catch (error) {
    seen.error = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
  }
  onProgress?.(seen);
  return seen;
}

/**
 * The simulator CLI in its own process group, so the app's load and ours do not share its event loop.
 * Unpaced unless a pace is given (Kimi's: 300 ms to the first token, 60 tokens/s).
 */
export async function startSimulatorProcess(
  key: string,
  pace: { ttftMs: number; tokensPerSecond: number } = { ttftMs: 0, tokensPerSecond: 0 },
): Promise<{ url: string; pgid: number; close(): Promise<void> }> {
  const port = await freePort();
  const args = ['--port', String(port), '--ttft-ms', String(pace.ttftMs), '--tokens-per-second', String(pace.tokensPerSecond), '--api-key', key];
  const child = spawn('npx', ['tsx', 'sim/cli.ts', ...args], {
    cwd: ROOT,
    detached: true,
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(
    () =>
      fetch(`${origin}/v1/models`, { headers: { authorization: `Bearer ${key}` } }).then(
        (r) => r.ok,
        () => false,
      ),
    60_000,
    'the simulator',
  );
  return {
    url: `${origin}/v1`,
    pgid: child.pid!,
    close: async () => {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

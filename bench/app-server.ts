// Starts the real app (scripts/start.ts, built) against a simulator in its own process, with one
// signed-in user, for benchmarks. Everything on 127.0.0.1; everything stopped by close().
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';

const SECRET = 'bench-secret-0123456789abcdef0123456789';

export interface BenchApp {
  origin: string;
  simUrl: string;
  cookie: string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (data: Buffer) => {
      seen += data.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}; output:\n${seen.slice(-2000)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

export async function startBenchApp(): Promise<BenchApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kimi-chat-bench-'));
  const [simPort, appPort] = [await freePort(), await freePort()];
  const sim = spawn('npx', ['tsx', 'sim/cli.ts', '--port', String(simPort), '--ttft-ms', '0', '--tokens-per-second', '0'], { stdio: 'pipe' });
  await waitForLine(sim, /127\.0\.0\.1:\d+/, 30_000);
  const simUrl = `http://127.0.0.1:${simPort}/v1`;

  const env = { ...process.env, DATA_DIR: dataDir, AUTH_SECRET: SECRET, DATABASE_URL: '', MOONSHOT_API_KEY: 'sk-bench', MOONSHOT_BASE_URL: simUrl };
  // Create the user before the app holds the data folder.
  Object.assign(process.env, env);
  const { db, closeDb } = await import('../lib/db');
  const { hashPassword } = await import('../lib/auth/password');
  const user = await (await db()).user.create({
    data: { email: 'bench@example.com', passwordHash: await hashPassword('bench-password-1'), role: 'admin' },
  });
  await closeDb();

  const app = spawn('npx', ['tsx', 'scripts/start.ts'], { stdio: 'pipe', env: { ...env, PORT: String(appPort), HOST: '127.0.0.1' } });
  await waitForLine(app, /is ready on/, 300_000);
  const token = await encode({
    token: { sub: user.id, id: user.id, email: user.email, role: user.role, sessionVersion: 0 },
    secret: SECRET,
    salt: 'authjs.session-token',
  });
  return {
    origin: `http://127.0.0.1:${appPort}`,
    simUrl,
    cookie: `authjs.session-token=${token}`,
    close: async () => {
      await Promise.all([stop(app), stop(sim)]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

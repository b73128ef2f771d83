// The Moonshot API key never leaves the server: a second app instance runs with a marker key against a
// simulator that accepts only that key; after a chat (and an upstream 401), the key must appear in no
// build output, page, API response, stored file or log line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startSimulator, type Simulator } from '../../sim';
import { send, signUp, thread, waitForAnswer } from './helpers';

const KEY = `sk-leakcheck-${crypto.randomUUID().replaceAll('-', '')}`;
const PORT = Number(process.env.E2E_SECRETS_PORT ?? 3212);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const ROOT = path.resolve(import.meta.dirname, '../..');

/** The simulator reads this list on every request: emptying it turns the next turn into an upstream 401. */
const acceptedKeys = [KEY];
let sim: Simulator;
let server: ChildProcess;
let dataDir: string;
let logs = '';

async function waitForHealth(): Promise<void> {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited:\n${logs}`);
    const ok = await fetch(`${ORIGIN}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server did not start:\n${logs}`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test.describe.configure({ timeout: 300_000 });

test.beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKeys: acceptedKeys, ttftMs: 20, tokensPerSecond: 500 });
  dataDir = mkdtempSync(path.join(tmpdir(), 'kimi-chat-secrets-'));
  server = spawn('npx', ['tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      MOONSHOT_API_KEY: KEY,
      MOONSHOT_BASE_URL: sim.url,
      AUTH_URL: ORIGIN,
      RATE_LIMIT_SIGN_UP_PER_HOUR: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
  await waitForHealth();
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await sim?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the API key appears in no bundle, page, response, stored file or log', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: ORIGIN });
  const page = await context.newPage();
  const seen: string[] = [];
  page.on('response', (res) => {
    void res
      .allHeaders()
      .then(async (h) => seen.push(`${res.url()}\n${JSON.stringify(h)}\n${await res.text().catch(() => '')}`))
      .catch(() => undefined);
  });

  await signUp(page); // the first user: an admin, so the admin pages are scanned too
  await send(page, 'Hello, which key are you using?');
  await waitForAnswer(page);
  // Kimi (the simulator, which accepts only KEY) answered: the key really was used, the scan is not vacuous.
  await expect(thread(page)).toContainText('You said');

  // Error path: the simulator now accepts another key only, so the next turn gets a 401.
  acceptedKeys.splice(0, acceptedKeys.length, 'sk-some-other-key');
  await send(page, 'And now?');
  await expect(thread(page)).toContainText('Kimi rejected the API key');

  for (const url of ['/', page.url(), '/sign-in', '/usage', '/admin', '/admin/usage', '/admin/users', '/admin/prices']) {
    const res = await page.request.get(url);
    seen.push(`${url}\n${JSON.stringify(res.headers())}\n${await res.text()}`);
  }
  for (const url of ['/api/health', '/api/conversations', '/api/admin/settings', '/api/admin/prices', '/api/documents/settings']) {
    const res = await page.request.get(url);
    seen.push(`${url}\n${JSON.stringify(res.headers())}\n${await res.text()}`);
  }
  await context.close();

  expect(seen.length).toBeGreaterThan(10);
  const leaks = seen.filter((s) => s.includes(KEY)).map((s) => s.split('\n')[0]);
  expect(leaks).toEqual([]);
  const files = [...filesUnder(path.join(ROOT, '.next/static')), ...filesUnder(path.join(ROOT, '.next/server')), ...filesUnder(dataDir)];
  expect(files.length).toBeGreaterThan(10);
  const needle = Buffer.from(KEY);
  expect(files.filter((f) => readFileSync(f).includes(needle))).toEqual([]);
  expect(logs).not.toContain(KEY);
  expect(logs).not.toContain(KEY.slice(0, 20));
});

// The Moonshot API key never leaves the server: a second app instance runs with a marker key against a
// simulator that accepts only that key; after a chat (and an upstream 401), the key must appear in no
// build output, page, API response, stored file or log line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Simulator, startSimulator } from '../../sim';
import { createThrowawayDatabase, type ServerProcess, startServer, type ThrowawayDatabase } from '../support/server-process';
import { send, signUp, thread, waitForAnswer } from './helpers';
import { expect, test } from './test';

const KEY = `sk-leakcheck-${crypto.randomUUID().replaceAll('-', '')}`;
const ROOT = path.resolve(import.meta.dirname, '../..');

/** The simulator reads this list on every request: emptying it turns the next turn into an upstream 401. */
const acceptedKeys = [KEY];
let sim: Simulator;
let database: ThrowawayDatabase;
// Its own process group on a free port: a stale server from an earlier run can never answer instead.
let server: ServerProcess;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test.describe.configure({ timeout: 300_000 });

test.beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKeys: acceptedKeys, ttftMs: 20, tokensPerSecond: 500 });
  database = await createThrowawayDatabase('pglite');
  server = await startServer({
    database,
    secret: `secret-${crypto.randomUUID()}`,
    kimi: { baseURL: sim.url, apiKey: KEY },
    env: { RATE_LIMIT_SIGN_UP_PER_HOUR: '1000' },
    readyTimeoutMs: 240_000,
  });
});

test.afterAll(async () => {
  await server?.stop();
  await sim?.close();
  await database?.cleanup();
});

test('the API key appears in no bundle, page, response, stored file or log', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.origin });
  const page = await context.newPage();
  const seen: string[] = [];
  // Read before the context closes: a body still being read then would silently escape the scan.
  const reading: Promise<void>[] = [];
  page.on('response', (res) => {
    reading.push(
      res
        .allHeaders()
        .then(async (h) => void seen.push(`${res.url()}\n${JSON.stringify(h)}\n${await res.text().catch(() => '')}`))
        .catch(() => undefined),
    );
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
  await Promise.all(reading);
  await context.close();

  expect(seen.length).toBeGreaterThan(10);
  const leaks = seen.filter((s) => s.includes(KEY)).map((s) => s.split('\n')[0]);
  expect(leaks).toEqual([]);
  // This key is made per run, after the build: scanning .next catches what the running server writes there
  // (caches), not what a build would inline. Keys stay out of builds because settings are read at run time.
  const files = [
    ...filesUnder(path.join(ROOT, '.next/static')),
    ...filesUnder(path.join(ROOT, '.next/server')),
    ...filesUnder(database.env.DATA_DIR),
  ];
  expect(files.length).toBeGreaterThan(10);
  const needle = Buffer.from(KEY);
  expect(files.filter((f) => readFileSync(f).includes(needle))).toEqual([]);
  expect(server.output()).not.toContain(KEY);
  expect(server.output()).not.toContain(KEY.slice(0, 20));
});

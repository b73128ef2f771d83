// Two real app instances behind one PostgreSQL and one Redis (127.0.0.1:6379, or REDIS_TEST_URL), as
// behind a load balancer without sticky sessions: an answer generated on A is resumed on B — over the
// API and in the browser — and a Stop sent to B stops it on A. Both talk to one paced simulator in this
// process, as two instances would talk to the same Kimi, so the test can see the upstream call close.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { type Simulator, startSimulator } from '../../sim';
import {
  createThrowawayDatabase,
  createUsers,
  type ServerProcess,
  startServer,
  streamTurn,
  type TestUser,
  type ThrowawayDatabase,
  type TurnObservation,
  waitFor,
} from '../support/server-process';
import { expect, test } from './test';

const SECRET = `resume-instances-${randomUUID()}`;
const KEY = 'sk-resume-instances';
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

let sim: Simulator;
let database: ThrowawayDatabase;
let a: ServerProcess;
let b: ServerProcess;
let alice: TestUser;
let bob: TestUser;
const conversations: string[] = [];

test.describe.configure({ mode: 'serial', timeout: 600_000 });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  // ~100 tokens/s: a few hundred tokens take seconds, long enough to join and to stop mid-answer.
  sim = await startSimulator({ apiKeys: [KEY], ttftMs: 100, tokensPerSecond: 100 });
  database = await createThrowawayDatabase('postgres');
  [alice, bob] = (await createUsers(database, 2, SECRET, 'resume')) as [TestUser, TestUser];
  const start = () =>
    startServer({
      database,
      secret: SECRET,
      kimi: { baseURL: sim.url, apiKey: KEY },
      env: { REDIS_URL, RATE_LIMIT_CHAT_PER_MINUTE: '0' },
      readyTimeoutMs: 400_000,
    });
  // One after the other: the first may have to build the app.
  a = await start();
  b = await start();
});

test.afterAll(async () => {
  await a?.stop();
  await b?.stop();
  // Redis stayed reachable throughout: every resume above really went through it.
  for (const server of [a, b]) if (server) expect(server.output()).not.toContain('[resume] Redis unavailable');
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  for (const id of conversations) {
    const keys = await redis.keys(`kimi-chat:answer:${id}*`);
    if (keys.length > 0) await redis.del(keys);
  }
  await redis.close();
  await sim?.close();
  await database?.cleanup();
});

/** Starts a turn on A and resolves once `minChars` of its text have arrived; `done` is the whole turn. */
async function startOnA(text: string, minChars: number) {
  const conversationId = randomUUID();
  conversations.push(conversationId);
  let seen: TurnObservation = { status: null, firstTextMs: null, finished: false, closed: false, text: '' };
  const done = streamTurn(a.origin, alice, { conversationId, messageId: randomUUID(), text }, (s) => (seen = { ...s }));
  await waitFor(() => seen.text.length >= minChars || seen.closed || seen.error !== undefined, 60_000, 'the answer to start on A');
  expect(seen.finished, 'still answering').toBe(false);
  return { conversationId, done };
}

const get = (origin: string, user: TestUser, path: string) => fetch(`${origin}${path}`, { headers: { cookie: user.cookie } });

function textOfSse(body: string): string {
  let text = '';
  for (const event of body.split('\n\n')) {
    if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
    const chunk = JSON.parse(event.slice(6)) as { type: string; delta?: string };
    if (chunk.type === 'text-delta') text += chunk.delta ?? '';
  }
  return text;
}

async function savedAnswer(conversationId: string) {
  return database.use((prisma) => prisma.message.findFirst({ where: { conversationId, role: 'assistant' } }));
}
const partsText = (parts: unknown) =>
  (parts as Array<{ type: string; text?: string }>)
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('');

test('an answer generated on A is resumed on B mid-answer, in full', async () => {
  const { conversationId, done } = await startOnA('Please reply with 400 tokens', 100);

  // B's page data says "streaming" (so the client resumes) and leaves the live answer to the resume.
  const detail = (await (await get(b.origin, alice, `/api/conversations/${conversationId}`)).json()) as {
    streaming: boolean;
    messages: Array<{ role: string }>;
  };
  expect(detail.streaming).toBe(true);
  expect(detail.messages.map((m) => m.role)).toEqual(['user']);

  expect((await get(b.origin, bob, `/api/chat/${conversationId}/stream`)).status).toBe(204);
  const resumed = await get(b.origin, alice, `/api/chat/${conversationId}/stream`);
  expect(resumed.status).toBe(200);
  const [body, onA] = await Promise.all([resumed.text(), done]);
  expect(onA.finished).toBe(true);

  const saved = await savedAnswer(conversationId);
  expect(saved?.status).toBe('complete');
  const text = partsText(saved?.parts);
  expect(text.length).toBeGreaterThan(1000);
  expect(textOfSse(body)).toBe(text);
  expect(onA.text).toBe(text);
  expect(body).toContain('"type":"finish"');
});

test('a page opened on B mid-answer shows the answer arriving and ending like on A', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: b.origin });
  await context.addCookies([{ name: 'authjs.session-token', value: alice.cookie.split('=').slice(1).join('='), url: b.origin }]);
  const page = await context.newPage();
  // Long enough (about 20 s) that B's first page load, cold and on a busy machine, lands mid-answer.
  const { conversationId, done } = await startOnA('Please reply with 2000 tokens', 100);
  await page.goto(`/c/${conversationId}`);
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Regenerate' })).toBeVisible({ timeout: 90_000 });
  expect((await done).finished).toBe(true);
  const text = partsText((await savedAnswer(conversationId))?.parts);
  const thread = page.getByRole('log');
  await expect(thread).toContainText(text.slice(0, 60).trim());
  await expect(thread).toContainText(text.slice(-60).trim());
  await context.close();
});

test('Stop sent to B stops the answer on A: upstream closed, partial answer kept as stopped', async () => {
  const marker = randomUUID();
  const { conversationId, done } = await startOnA(`Please reply with 3000 tokens (${marker})`, 100);
  const upstream = () => sim.requests().find((r) => r.stream && JSON.stringify(r.messages ?? []).includes(marker));

  // Bob's Stop does nothing to Alice's answer.
  const stop = (user: TestUser) =>
    fetch(`${b.origin}/api/chat/${conversationId}/stop`, { method: 'POST', headers: { cookie: user.cookie, origin: b.origin } });
  expect((await stop(bob)).status).toBe(204);
  await new Promise((r) => setTimeout(r, 300));
  expect(upstream()?.aborted).toBe(false);

  // The simulator runs in this process: poll its log every millisecond for the upstream connection closing.
  let closedAt = 0;
  const watching = (async () => {
    const deadline = performance.now() + 10_000;
    while (!closedAt && performance.now() < deadline) {
      if (upstream()?.aborted) closedAt = performance.now();
      else await new Promise((r) => setTimeout(r, 1));
    }
  })();
  const sentAt = performance.now();
  expect((await stop(alice)).status).toBe(204);
  await watching;
  expect(closedAt, 'the upstream call on A closed').toBeGreaterThan(0);
  const latency = closedAt - sentAt;
  console.log(`[resume-instances] Stop sent to B → upstream call on A closed: ${latency.toFixed(0)} ms`);
  test.info().annotations.push({ type: 'stop latency across instances', description: `${latency.toFixed(0)} ms` });
  expect(latency).toBeLessThan(1_000);

  const onA = await done;
  expect(onA.closed).toBe(true);
  const saved = await waitFor(
    async () => {
      const answer = await savedAnswer(conversationId);
      return answer && answer.status !== 'streaming' ? answer : undefined;
    },
    10_000,
    'the stopped answer to be saved',
  );
  expect(saved.status).toBe('stopped');
  const text = partsText(saved.parts);
  expect(text.length).toBeGreaterThan(100);
  expect(text.split(/\s+/).length).toBeLessThan(2500);
  expect(onA.text).toBe(text);
  // Nothing is live any more on either instance.
  expect((await get(b.origin, alice, `/api/conversations/${conversationId}`)).ok).toBe(true);
  expect(((await (await get(b.origin, alice, `/api/conversations/${conversationId}`)).json()) as { streaming: boolean }).streaming).toBe(false);
});

// A 1,000-message conversation (Markdown and code answers) in the browser: the page carries only its newest
// messages and opens at its end with at most 3,000 DOM nodes, older pages come from the server as the reader
// scrolls up (and the page stays bounded), the scroll-to-bottom button brings the end back, a
// `#message-<id>` link opens a message however old, and a version switched 500 messages up (here, or on another
// device while this page is open) shows where the reader is.
// Its own server on a seeded database (the fixture is written before the server holds the data folder).

import { type Simulator, startSimulator } from '../../sim';
import { LONG_THREAD_MODEL, longThreadMessageId, seedLongThread } from '../support/fixtures/long-thread';
import { createThrowawayDatabase, createUsers, type ServerProcess, startServer, type ThrowawayDatabase } from '../support/server-process';
import { composer, holdRequests, holdScripts } from './helpers';
import { type Browser, expect, type Page, test } from './test';

const SECRET = 'e2e-long-thread-secret-0123456789abcdef';
const KEY = 'sk-long-thread';
// This spec's server and simulator sit just above the suite's own ports.
const BASE_PORT = Number(process.env.E2E_PORT ?? 3210);
const MAX_NODES = 3_000;
/** The second version of answer 501; the seeded path goes through the first. */
const ALTERNATIVE = 'alt-0501';

let sim: Simulator;
let database: ThrowawayDatabase;
let server: ServerProcess;
let cookie: string;
let conversation: string;

test.describe.configure({ mode: 'serial', timeout: 600_000 });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  sim = await startSimulator({ apiKeys: [KEY], port: BASE_PORT + 3 });
  database = await createThrowawayDatabase('pglite');
  const [user] = await createUsers(database, 1, SECRET, 'long');
  cookie = user!.cookie;
  conversation = await database.use(async (prisma) => {
    const id = await seedLongThread(prisma, user!.id);
    // A second version of an answer deep in the thread (as a regenerate writes it): a branch 500 messages up.
    await prisma.message.create({
      data: {
        id: ALTERNATIVE,
        parentId: longThreadMessageId(500),
        conversationId: id,
        role: 'assistant',
        parts: [{ type: 'text', text: 'The other version of answer 501.' }],
        model: LONG_THREAD_MODEL,
      },
    });
    return id;
  });
  server = await startServer({ database, secret: SECRET, kimi: { baseURL: sim.url, apiKey: KEY }, port: BASE_PORT + 2, readyTimeoutMs: 400_000 });
});

test.afterAll(async () => {
  await server?.stop();
  await sim?.close();
  await database?.cleanup();
});

async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin, locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.origin }]);
  return context.newPage();
}

const nodes = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);
const rendered = (page: Page) => page.locator('[data-message-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-message-id')));
const scroller = (page: Page) => page.getByTestId('thread-scroll');
/** The older pages the page asks the server for (GET /api/conversations/:id/messages). */
function olderPageRequests(page: Page): URL[] {
  const seen: URL[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === `/api/conversations/${conversation}/messages`) seen.push(url);
  });
  return seen;
}

test('the page carries only the newest page of messages', async ({ browser }) => {
  const page = await openPage(browser);
  const html = await (await page.request.get(`/c/${conversation}`)).text();
  expect(html).toContain('Question 998:');
  // Neither rendered nor in the data the page hydrates from.
  expect(html).not.toContain('Question 900:');
  expect(html).not.toContain(longThreadMessageId(900));
});

test('opens at its end, bounded, and pages older messages in on scroll up', async ({ browser }) => {
  const page = await openPage(browser);
  const requests = olderPageRequests(page);
  await page.goto(`/c/${conversation}`);
  const last = page.locator(`[data-message-id="${longThreadMessageId(999)}"]`);
  await expect(last).toBeInViewport();
  expect(await nodes(page)).toBeLessThanOrEqual(MAX_NODES);
  const opened = await rendered(page);
  expect(opened.length).toBeLessThan(1_000);
  expect(opened).not.toContain(longThreadMessageId(0));

  // Scroll to the top of what is rendered, again and again: older pages come in, the page stays bounded.
  const oldestShown = async () => (await rendered(page))[0]!;
  let before = await oldestShown();
  for (let round = 0; round < 4; round += 1) {
    await scroller(page).evaluate((el) => el.scrollTo({ top: -el.scrollHeight }));
    await expect.poll(oldestShown).not.toBe(before);
    before = await oldestShown();
    expect(await nodes(page)).toBeLessThanOrEqual(MAX_NODES);
  }
  expect(before < opened[0]!).toBe(true);
  // Each older page came from the server, asked for once, right before the oldest message it had.
  expect(requests.length).toBeGreaterThanOrEqual(3);
  const befores = requests.map((url) => url.searchParams.get('before'));
  expect(new Set(befores).size).toBe(befores.length);
  expect(befores[0]).toBe(opened[0]);
  // Far enough up, the newest messages are no longer rendered; the button brings the end back.
  await expect(last).toHaveCount(0);
  await page.getByRole('button', { name: 'Scroll to the latest message' }).click();
  await expect(last).toBeInViewport();
  expect(await nodes(page)).toBeLessThanOrEqual(MAX_NODES);
});

test('a #message link opens an old message in place', async ({ browser }) => {
  const page = await openPage(browser);
  const requests = olderPageRequests(page);
  await page.goto(`/c/${conversation}#message-${longThreadMessageId(10)}`);
  const target = page.locator(`[data-message-id="${longThreadMessageId(10)}"]`);
  await expect(target).toBeInViewport();
  await expect(target).toContainText('Question 10');
  expect(await nodes(page)).toBeLessThanOrEqual(MAX_NODES);
  // One request reached back to it, not a page at a time.
  expect(requests.map((url) => url.searchParams.get('to'))).toEqual([longThreadMessageId(10)]);
});

test('scrolled up before the page hydrates: the reader keeps the place and older messages come in', async ({ browser }) => {
  const page = await openPage(browser);
  const release = await holdScripts(page);
  await page.goto(`/c/${conversation}`, { waitUntil: 'commit' });
  const last = page.locator(`[data-message-id="${longThreadMessageId(999)}"]`);
  await expect(last).toBeInViewport();
  const opened = await rendered(page);
  // The server's HTML scrolled to its top by the reader, scripts still loading.
  await scroller(page).evaluate((el) => el.scrollTo({ top: -el.scrollHeight }));
  await release();
  await expect.poll(async () => (await rendered(page))[0]).not.toBe(opened[0]);
  await expect(last).not.toBeInViewport();
});

test('a branch switched 500 messages up shows that version where the reader is, survives a reload, and switches back', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(`/c/${conversation}#message-${longThreadMessageId(501)}`);
  const first = page.locator(`[data-message-id="${longThreadMessageId(501)}"]`);
  const other = page.locator(`[data-message-id="${ALTERNATIVE}"]`);
  await expect(first).toBeInViewport();
  await expect(first.getByRole('status')).toHaveText('1 / 2');
  await first.getByRole('button', { name: 'Next version' }).click();

  // The other version, where the reader was; the old continuation is gone, the page stays bounded.
  await expect(other).toBeInViewport();
  await expect(other).toContainText('The other version of answer 501.');
  await expect(other.getByRole('status')).toHaveText('2 / 2');
  await expect(first).toHaveCount(0);
  await expect(page.locator(`[data-message-id="${longThreadMessageId(999)}"]`)).toHaveCount(0);
  await expect(page.locator(`[data-message-id="${longThreadMessageId(500)}"]`)).toHaveCount(1);
  expect(await nodes(page)).toBeLessThanOrEqual(MAX_NODES);

  // Remembered: a reload opens at the end of this branch.
  await page.reload();
  await expect(other).toBeInViewport();
  await expect(page.locator(`[data-message-id="${longThreadMessageId(999)}"]`)).toHaveCount(0);

  // And back: the first version with its 498 messages after it; the latest is one click away.
  await other.getByRole('button', { name: 'Previous version' }).click();
  await expect(first).toBeInViewport();
  await expect(first.getByRole('status')).toHaveText('1 / 2');
  await page.getByRole('button', { name: 'Scroll to the latest message' }).click();
  await expect(page.locator(`[data-message-id="${longThreadMessageId(999)}"]`)).toBeInViewport();
  expect(await nodes(page)).toBeLessThanOrEqual(MAX_NODES);
});

test('an older page asked for after the branch changed on another device shows the branch as it is now', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(`/c/${conversation}`);
  const latest = page.locator(`[data-message-id="${longThreadMessageId(999)}"]`);
  await expect(latest).toBeInViewport();

  // Another device switches to the other version of answer 501: this page's messages are off the path now.
  const elsewhere = await openPage(browser);
  const switched = await elsewhere.request.post(`/api/conversations/${conversation}/branch`, {
    data: { messageId: ALTERNATIVE },
    headers: { origin: server.origin },
  });
  expect(switched.status()).toBe(200);

  // Scrolling up asks for the page before the oldest message shown: the server no longer has it on the
  // path, so the thread becomes the current one instead of never paging back.
  const refused = page.waitForResponse((res) => new URL(res.url()).pathname === `/api/conversations/${conversation}/messages`);
  await scroller(page).evaluate((el) => el.scrollTo({ top: -el.scrollHeight }));
  expect((await refused).status()).toBe(404);
  await expect(page.locator(`[data-message-id="${ALTERNATIVE}"]`)).toBeVisible();
  await expect(latest).toHaveCount(0);

  // Leave the seeded path as it was.
  const back = await elsewhere.request.post(`/api/conversations/${conversation}/branch`, {
    data: { messageId: longThreadMessageId(501) },
    headers: { origin: server.origin },
  });
  expect(back.status()).toBe(200);
});

/** The script chunks a page's HTML lists: what it loads before it can hydrate (its first load). */
async function firstLoadScripts(page: Page, path: string): Promise<Set<string>> {
  const html = await (await page.request.get(path)).text();
  return new Set([...html.matchAll(/<script src="([^"]+)"/g)].map((m) => new URL(m[1]!, server.origin).pathname));
}
const hydrated = (locator: ReturnType<Page['locator']>) => locator.evaluate((el) => Object.keys(el).some((k) => k.startsWith('__reactProps')));

test("the message box works before the answers' renderer has loaded; the answers keep the server's HTML until it has", async ({ browser }) => {
  const page = await openPage(browser);
  const firstLoad = await firstLoadScripts(page, `/c/${conversation}`);
  // Everything the page asks for after its first load is held: the Markdown renderer, the AI SDK, the highlighter.
  const release = await holdRequests(
    page,
    (url) => url.pathname.startsWith('/_next/static/chunks/') && url.pathname.endsWith('.js') && !firstLoad.has(url.pathname),
  );
  await page.goto(`/c/${conversation}`, { waitUntil: 'commit' });
  // The newest answer as the server sent it, in place (not a fallback swapped in later): formatted.
  const answer = page.locator(`[data-message-id="${longThreadMessageId(999)}"]`);
  const heading = await answer.locator('h3', { hasText: 'Step 999' }).elementHandle();
  expect(await heading!.textContent()).toBe('Step 999: what changes');
  await expect(answer.locator('table')).toHaveCount(1);
  const html = await (await page.request.get(`/c/${conversation}`)).text();
  expect(html).toContain('<h3>Step 999: what changes</h3>');
  // Not first as plain text with the formatted answer streamed after it (a Suspense fallback).
  expect(html).not.toContain('<div class="prose-chat whitespace-pre-wrap">');

  const box = composer(page);
  await expect.poll(() => hydrated(box)).toBe(true);
  await box.fill('typed while the renderer loads');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  // Hydrated around it, the answer is still the server's very elements, not yet in React's hands.
  expect(await heading!.evaluate((el) => el.isConnected)).toBe(true);
  const copy = answer.getByRole('button', { name: 'Copy', exact: true });
  expect(await hydrated(copy)).toBe(false);
  await expect(answer.locator('code.hljs')).toHaveCount(0);

  await release();
  // Then alive: highlighted, its copy button hydrated; the same answer, and the typed text kept.
  await expect(answer.locator('code.hljs')).toHaveCount(1);
  await expect.poll(() => hydrated(copy)).toBe(true);
  await expect(answer.locator('h3', { hasText: 'Step 999' })).toHaveText('Step 999: what changes');
  await expect(box).toHaveValue('typed while the renderer loads');
});

test('the first load carries neither the Markdown renderer, the AI SDK, zod nor the highlighter: they come after', async ({ browser }) => {
  const page = await openPage(browser);
  const firstLoad = await firstLoadScripts(page, `/c/${conversation}`);
  const later: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/_next/static/chunks/') && url.pathname.endsWith('.js') && !firstLoad.has(url.pathname)) later.push(url.pathname);
  });
  await page.goto(`/c/${conversation}`);
  const text = async (paths: Iterable<string>) => (await Promise.all([...paths].map(async (p) => (await page.request.get(p)).text()))).join('\n');
  // A string each library's code keeps through minification. Each must turn up in what loads later (they load
  // at idle moments, so this waits for them), so the first-load checks cannot pass by the string having gone.
  const signatures = ['micromark', 'vercel.ai.error', 'ZodError', 'highlight.js'];
  await expect
    .poll(
      async () => {
        const after = await text(later);
        return signatures.filter((signature) => !after.includes(signature));
      },
      { timeout: 60_000 },
    )
    .toEqual([]);
  const before = await text(firstLoad);
  for (const signature of signatures) expect(before, signature).not.toContain(signature);
});

test('links in the sidebar prefetch when reached for, not when the page loads', async ({ browser }) => {
  const page = await openPage(browser);
  const prefetches: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.searchParams.has('_rsc')) prefetches.push(url.pathname);
  });
  await page.goto(`/c/${conversation}`);
  await expect.poll(() => hydrated(composer(page))).toBe(true);
  await page.waitForLoadState('networkidle');
  expect(prefetches).toEqual([]);
  const newChat = page.getByRole('navigation').getByRole('link', { name: 'New chat' });
  await newChat.hover();
  await expect.poll(() => prefetches).toContain('/');
  await newChat.click();
  await expect(page).toHaveURL(`${server.origin}/`);
  await expect(composer(page)).toBeVisible();
});

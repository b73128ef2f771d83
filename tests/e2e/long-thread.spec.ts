// A 1,000-message conversation (Markdown and code answers) in the browser: it opens at its end with at most
// 3,000 DOM nodes, older messages load as the reader scrolls up (and the page stays bounded), the
// scroll-to-bottom button brings the end back, and a `#message-<id>` link opens a message however old.
// Its own server on a seeded database (the fixture is written before the server holds the data folder).
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type Simulator, startSimulator } from '../../sim';
import { longThreadMessageId, seedLongThread } from '../support/fixtures/long-thread';
import { createThrowawayDatabase, createUsers, type ServerProcess, startServer, type ThrowawayDatabase } from '../support/server-process';
import { holdScripts } from './helpers';

const SECRET = 'e2e-long-thread-secret-0123456789abcdef';
const KEY = 'sk-long-thread';
// This spec's server and simulator sit just above the suite's own ports.
const BASE_PORT = Number(process.env.E2E_PORT ?? 3210);
const MAX_NODES = 3_000;

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
  conversation = await database.use((prisma) => seedLongThread(prisma, user!.id));
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

test('opens at its end, bounded, and pages older messages in on scroll up', async ({ browser }) => {
  const page = await openPage(browser);
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
  // Far enough up, the newest messages are no longer rendered; the button brings the end back.
  await expect(last).toHaveCount(0);
  await page.getByRole('button', { name: 'Scroll to the latest message' }).click();
  await expect(last).toBeInViewport();
  expect(await nodes(page)).toBeLessThanOrEqual(MAX_NODES);
});

test('a #message link opens an old message in place', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(`/c/${conversation}#message-${longThreadMessageId(10)}`);
  const target = page.locator(`[data-message-id="${longThreadMessageId(10)}"]`);
  await expect(target).toBeInViewport();
  await expect(target).toContainText('Question 10');
  expect(await nodes(page)).toBeLessThanOrEqual(MAX_NODES);
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

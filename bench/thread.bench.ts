// A 1,000-message conversation (Markdown, lists, tables, code) opened in Chromium: time from navigation to
// interactive (the message box hydrated: server time + browser time, as the page's own clock counts it)
// and the DOM nodes then, for the thread as it opens (the newest page, windowed) and — the baseline, same
// run, same server — the thread sent and rendered whole as it was before (`?thread=all`, served only with
// BENCH_BASELINE_ROUTES). Beside them, the floor: the same page for a 2-message conversation (what the app
// costs before a thread's length does).
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { startSimulator } from '../sim';
import { CHROMIUM_LAUNCH } from '../tests/support/chromium';
import { seedLongThread } from '../tests/support/fixtures/long-thread';
import { createThrowawayDatabase, createUsers, startServer } from '../tests/support/server-process';
import { percentile } from './stats';
import type { BenchResult } from './types';

const SECRET = 'bench-thread-secret-0123456789abcdef0123';
const KEY = 'sk-bench-thread';
const MESSAGES = 1_000;
const RUNS = 5;

interface Open {
  /** performance.now() when the message box was hydrated: ms since the navigation started. */
  interactiveMs: number;
  /** Time to the response's first byte (the server's part). */
  serverMs: number;
  nodes: number;
}

/**
 * Lets the page that is open finish what it does after it is interactive (the chunks it loads then, their
 * evaluation), so that none of it runs inside the next open's clock: each open is measured on its own.
 */
async function settle(page: Page): Promise<void> {
  if (page.url() === 'about:blank') return;
  await page.waitForLoadState('networkidle', { timeout: 120_000 });
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 10_000 })));
}

async function openOnce(page: Page, url: string): Promise<Open> {
  await settle(page);
  // The baseline renders every message on the server: on a busy machine that takes a while.
  await page.goto(url, { waitUntil: 'commit', timeout: 180_000 });
  // React has hydrated an element once it carries its props: the message box then handles input.
  await page.waitForFunction(
    () => {
      const box = document.querySelector('textarea[aria-label]');
      return box !== null && Object.keys(box).some((k) => k.startsWith('__reactProps'));
    },
    undefined,
    { polling: 'raf', timeout: 120_000 },
  );
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { interactiveMs: performance.now(), serverMs: nav.responseStart, nodes: document.getElementsByTagName('*').length };
  });
}

async function launch(): Promise<Browser> {
  return chromium.launch(CHROMIUM_LAUNCH);
}

export async function benchThread(): Promise<BenchResult> {
  const sim = await startSimulator({ apiKeys: [KEY] });
  const database = await createThrowawayDatabase('pglite');
  const [user] = await createUsers(database, 1, SECRET, 'thread');
  const conversation = await database.use((prisma) => seedLongThread(prisma, user!.id, MESSAGES));
  const short = await database.use((prisma) => seedLongThread(prisma, user!.id, 2, 'floor'));
  const server = await startServer({
    database,
    secret: SECRET,
    kimi: { baseURL: sim.url, apiKey: KEY },
    env: { BENCH_BASELINE_ROUTES: 'true' },
  });
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name, value] = user!.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.origin }]);
    const page = await context.newPage();
    const windowed = `${server.origin}/c/${conversation}`;
    const all = `${windowed}?thread=all`;
    const floor = `${server.origin}/c/${short}`;
    // Warm up each (compiled routes, caches), then alternate so machine noise falls on all alike.
    for (const url of [windowed, all, floor]) await openOnce(page, url);
    const runs: { windowed: Open[]; all: Open[]; floor: Open[] } = { windowed: [], all: [], floor: [] };
    for (let i = 0; i < RUNS; i += 1) {
      runs.windowed.push(await openOnce(page, windowed));
      runs.all.push(await openOnce(page, all));
      runs.floor.push(await openOnce(page, floor));
    }
    const p50 = (xs: Open[], key: keyof Open) =>
      Math.round(
        percentile(
          xs.map((x) => x[key]).sort((a, b) => a - b),
          50,
        ),
      );
    const interactive = p50(runs.windowed, 'interactiveMs');
    const baseline = p50(runs.all, 'interactiveMs');
    return {
      name: `${MESSAGES.toLocaleString('en')}-message conversation: open to interactive`,
      metrics: {
        windowed_interactive_p50_ms: interactive,
        windowed_server_p50_ms: p50(runs.windowed, 'serverMs'),
        windowed_dom_nodes: p50(runs.windowed, 'nodes'),
        all_rendered_interactive_p50_ms: baseline,
        all_rendered_server_p50_ms: p50(runs.all, 'serverMs'),
        all_rendered_dom_nodes: p50(runs.all, 'nodes'),
        floor_2_messages_interactive_p50_ms: p50(runs.floor, 'interactiveMs'),
        floor_2_messages_server_p50_ms: p50(runs.floor, 'serverMs'),
        ratio_to_baseline: Math.round((interactive / baseline) * 100) / 100,
      },
      notes: `${RUNS} alternating runs each after a warm-up, each open started once the page before had gone idle, PGlite, Chromium 1280×800; baseline = every message sent and rendered (the thread before windowing and paging); floor = a 2-message conversation; targets: windowed_interactive_p50_ms ≤ 500, windowed_dom_nodes ≤ 3000`,
    };
  } finally {
    await browser.close();
    await server.stop();
    await sim.close();
    await database.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchThread(), null, 2));
  process.exit(0);
}

// What our chat route adds to the time to first token, over calling the simulator directly: p50 and p99,
// at 1 and at 50 concurrent chats, measured in the same run. The floor under it is measured alongside: a
// bare Next.js route passing the simulator's stream on, and the AI SDK's streamText in a route with no
// session or database (app/api/bench-baseline). Also the chat page's first-load JavaScript.

import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../tests/support/chromium';
import { type BenchApp, startBenchApp } from './app-server';
import { percentile } from './stats';
import type { BenchResult } from './types';

const PROMPT = 'Please reply with 20 tokens';

/** Milliseconds from sending the request to the first chunk that carries answer text. */
async function timeToFirstText(url: string, init: RequestInit, marker: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let seen = '';
  let ttft = NaN;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (Number.isNaN(ttft)) {
      seen += next.value;
      if (seen.includes(marker)) ttft = performance.now() - t0;
    }
  }
  if (Number.isNaN(ttft)) throw new Error(`${url}: no answer text in ${seen.slice(0, 300)}`);
  return ttft;
}

// K2.6 with thinking off: the first answer text is the first token, as in every route measured here.
const BENCH_MODEL = 'kimi-k2.6';

function direct(app: BenchApp) {
  return timeToFirstText(
    `${app.simUrl}/chat/completions`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${app.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: BENCH_MODEL, thinking: { type: 'disabled' }, stream: true, messages: [{ role: 'user', content: PROMPT }] }),
    },
    '"content":"',
  ).then((t) => t);
}

function viaApp(app: BenchApp) {
  const body = {
    id: crypto.randomUUID(),
    trigger: 'submit-message',
    message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: PROMPT }] },
    settings: { model: BENCH_MODEL, systemPrompt: '', temperature: null, thinking: false, reasoningEffort: null },
  };
  return timeToFirstText(
    `${app.origin}/api/chat`,
    { method: 'POST', headers: { cookie: app.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) },
    '"type":"text-delta"',
  );
}

function baseline(app: BenchApp, kind: 'proxy' | 'ai-sdk') {
  return timeToFirstText(
    `${app.origin}/api/bench-baseline?kind=${kind}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: BENCH_MODEL, prompt: PROMPT, thinking: false }),
    },
    kind === 'proxy' ? '"content":"' : '"type":"text-delta"',
  );
}

const ROUTES = {
  direct,
  app: viaApp,
  proxy: (app: BenchApp) => baseline(app, 'proxy'),
  aiSdk: (app: BenchApp) => baseline(app, 'ai-sdk'),
};

/** `rounds` rounds of `concurrency` requests at once to each route in turn, so all see the same noise. */
async function measure(app: BenchApp, concurrency: number, rounds: number) {
  const samples = { direct: [] as number[], app: [] as number[], proxy: [] as number[], aiSdk: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const route of Object.keys(ROUTES) as Array<keyof typeof ROUTES>) {
      samples[route].push(...(await Promise.all(Array.from({ length: concurrency }, () => ROUTES[route](app)))));
    }
  }
  const p = (route: keyof typeof ROUTES, q: number) =>
    percentile(
      [...samples[route]].sort((x, y) => x - y),
      q,
    );
  return {
    directP50: p('direct', 50),
    appP50: p('app', 50),
    addedP50: p('app', 50) - p('direct', 50),
    addedP99: p('app', 99) - p('direct', 99),
    proxyAddedP50: p('proxy', 50) - p('direct', 50),
    aiSdkAddedP50: p('aiSdk', 50) - p('direct', 50),
  };
}

/** gzip bytes of every script the chat page loads, as a browser would fetch them. */
async function firstLoadJs(app: BenchApp): Promise<number> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const context = await browser.newContext();
    const [name, value] = app.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: app.origin }]);
    const page = await context.newPage();
    const scripts: Promise<number>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.body().then((b) => gzipSync(b).length));
    });
    await page.goto(`${app.origin}/`, { waitUntil: 'networkidle' });
    return (await Promise.all(scripts)).reduce((sum, n) => sum + n, 0);
  } finally {
    await browser.close();
  }
}

export async function benchChatOverhead(): Promise<BenchResult> {
  const app = await startBenchApp(process.env.BENCH_DB === 'postgres' ? 'postgres' : 'pglite');
  try {
    // Warm up: compile paths, open pools, fill caches.
    await measure(app, 5, 4);
    const one = await measure(app, 1, 200);
    const fifty = await measure(app, 50, 6);
    const jsBytes = await firstLoadJs(app);
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      name: 'chat route overhead (time to first token) and first-load JS',
      metrics: {
        c1_direct_p50_ms: round(one.directP50),
        c1_app_p50_ms: round(one.appP50),
        c1_added_p50_ms: round(one.addedP50),
        c1_added_p99_ms: round(one.addedP99),
        c1_bare_next_route_added_p50_ms: round(one.proxyAddedP50),
        c1_bare_ai_sdk_route_added_p50_ms: round(one.aiSdkAddedP50),
        c50_direct_p50_ms: round(fifty.directP50),
        c50_app_p50_ms: round(fifty.appP50),
        c50_added_p50_ms: round(fifty.addedP50),
        c50_added_p99_ms: round(fifty.addedP99),
        c50_bare_next_route_added_p50_ms: round(fifty.proxyAddedP50),
        c50_bare_ai_sdk_route_added_p50_ms: round(fifty.aiSdkAddedP50),
        first_load_js_gzip_kb: round(jsBytes / 1024),
      },
      notes: `new conversation per request (its first writes finish before the first text is sent), ${process.env.BENCH_DB === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'}, simulator unpaced in its own process; bare_* are the floor (no session, database or writes); targets: c1_added_p50_ms ≤ 5, first_load_js_gzip_kb ≤ 400`,
    };
  } finally {
    await app.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchChatOverhead(), null, 2));
  process.exit(0);
}

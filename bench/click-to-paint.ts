// What one user feels in Chromium: from the Send click to the first frame that shows the answer's first
// words, minus the time the upstream takes to send the same words (the same request straight to the
// simulator, same run).
// The simulator is paced like Kimi in its own process; the app is the built server on PGlite; 20 sends.
import { type Browser, chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../tests/support/chromium';
import { createThrowawayDatabase, createUsers, startServer, startSimulatorProcess } from '../tests/support/server-process';
import { percentile } from './stats';

const SENDS = 20;
const KEY = 'sk-bench-paint';
const SECRET = 'bench-paint-secret-0123456789abcdef0123';
/**
 * The first words of the answer to `text`, as the simulator writes them: its reasoning begins
 * `Thinking about: "<text>"` (thinking on), its answer `You said: "<text>"`. Matching this send's own words
 * (not counting answers) stays right when the thread's window drops older messages from the page.
 */
const firstWords = (text: string) => `: "${text}"`;
// In the page (a string: the bench's TypeScript helpers do not exist there): the click's time, then the
// first animation frame whose document shows the words; resolves to the difference. `window.bytes` resolves
// to the time from the click until the answer's stream (read by the page's fetch) held the words: the
// server and the network's part; the rest is the page's. `window.request`: from the click until the page
// called fetch (the page's own work before the request leaves).
const arm = (words: string) => `(() => {
  const words = ${JSON.stringify(words)};
  window.wordsArrived = new Promise((resolve) => { window.onWords = resolve; });
  window.requestMade = new Promise((resolve) => { window.onRequest = resolve; });
  window.watchWords = words;
  const shown = () => document.body.textContent.includes(words);
  window.paint = new Promise((resolve) => {
    document.addEventListener('click', (event) => {
      const clickAt = event.timeStamp;
      window.bytes = window.wordsArrived.then((t) => t - clickAt);
      window.request = window.requestMade.then((t) => t - clickAt);
      const frame = (t) => (shown() ? resolve(t - clickAt) : requestAnimationFrame(frame));
      requestAnimationFrame(frame);
    }, { capture: true, once: true });
  });
})()`;

// Before the page's scripts: the answer stream's bytes are read as the page reads them (a tee of the
// response body), their deltas added up, and the time the words arrived handed to window.onWords.
const WATCH_FETCH = `(() => {
  const original = window.fetch;
  window.fetch = async (...args) => {
    const url = String(args[0] && args[0].url ? args[0].url : args[0]);
    const chat = url.includes('/api/chat');
    if (chat && window.watchWords) window.onRequest(performance.now());
    const response = await original(...args);
    if (!chat || !response.body || !window.watchWords) return response;
    const [page, watch] = response.body.tee();
    (async () => {
      const reader = watch.pipeThrough(new TextDecoderStream()).getReader();
      let pending = '';
      let said = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        pending += next.value;
        const events = pending.split('\\n\\n');
        pending = events.pop();
        for (const event of events) {
          if (!event.startsWith('data: {')) continue;
          const chunk = JSON.parse(event.slice(6));
          if (typeof chunk.delta === 'string') said += chunk.delta;
        }
        if (window.watchWords && said.includes(window.watchWords)) {
          const at = performance.now();
          window.watchWords = undefined;
          window.onWords(at);
        }
      }
    })().catch(() => {});
    return new Response(page, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
})()`;

/** The same request straight to the simulator: ms until its reasoning or answer text holds the same words. */
async function directFirstToken(simUrl: string, text: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${simUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'kimi-k2.6', stream: true, messages: [{ role: 'user', content: text }] }),
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const words = firstWords(text);
  let pending = '';
  let said = '';
  let first = Number.NaN;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    pending += next.value;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data: {')) continue;
      const delta = (JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string; reasoning_content?: string } }[] }).choices?.[0]?.delta;
      said += (delta?.reasoning_content ?? '') + (delta?.content ?? '');
    }
    if (Number.isNaN(first) && said.includes(words)) first = performance.now() - t0;
  }
  return first;
}

export async function benchClickToPaint(): Promise<Record<string, number>> {
  const sim = await startSimulatorProcess(KEY, { ttftMs: 300, tokensPerSecond: 60 });
  const database = await createThrowawayDatabase('pglite');
  const [user] = await createUsers(database, 1, SECRET, 'paint');
  const server = await startServer({ database, secret: SECRET, kimi: { baseURL: sim.url, apiKey: KEY }, env: { RATE_LIMIT_CHAT_PER_MINUTE: '0' } });
  // Launched inside the try: a browser that cannot start (no Chromium) still stops the server and simulator.
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch(CHROMIUM_LAUNCH);
    const context = await browser.newContext({ locale: 'en-US' });
    await context.addInitScript(WATCH_FETCH);
    const [name, value] = user!.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.origin }]);
    const page = await context.newPage();
    await page.goto(server.origin);
    const composer = page.getByRole('textbox', { name: 'Message' });
    const sendButton = page.getByRole('button', { name: 'Send' });
    const app: number[] = [];
    const bytes: number[] = [];
    const request: number[] = [];
    const toPaint: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < SENDS + 1; i++) {
      const text = `hello ${i}`;
      await composer.fill(text);
      // In the page: the click's time, then the first animation frame that shows the answer's first words.
      await page.evaluate(arm(firstWords(text)));
      await sendButton.click();
      const ms = (await page.evaluate('window.paint')) as number;
      const bytesMs = (await page.evaluate('window.bytes')) as number;
      const requestMs = (await page.evaluate('window.request')) as number;
      await page.getByRole('button', { name: 'Regenerate' }).waitFor({ timeout: 30_000 });
      // The first send also loads the conversation route: warm-up, not counted.
      if (i > 0) {
        app.push(ms);
        bytes.push(bytesMs);
        request.push(requestMs);
        toPaint.push(ms - bytesMs);
        direct.push(await directFirstToken(sim.url, text));
      }
    }
    app.sort((a, b) => a - b);
    bytes.sort((a, b) => a - b);
    request.sort((a, b) => a - b);
    toPaint.sort((a, b) => a - b);
    direct.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      browser_click_to_paint_p50_ms: round(percentile(app, 50)),
      browser_upstream_first_token_p50_ms: round(percentile(direct, 50)),
      browser_added_p50_ms: round(percentile(app, 50) - percentile(direct, 50)),
      // Of it: until the words' bytes reached the page (click handling, the request, the server), then to the frame.
      browser_words_in_page_added_p50_ms: round(percentile(bytes, 50) - percentile(direct, 50)),
      browser_words_to_paint_p50_ms: round(percentile(toPaint, 50)),
      // Of the first part: from the click until the page's fetch was called.
      browser_click_to_request_p50_ms: round(percentile(request, 50)),
    };
  } finally {
    await browser?.close();
    await server.stop();
    await sim.close();
    await database.cleanup();
  }
}

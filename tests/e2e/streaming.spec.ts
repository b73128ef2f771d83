// The answer's event stream leaves `next start` as it is produced: not gzipped (zlib holds small chunks
// back, so the first words would arrive together with the last), for the first request and for a resume.
// In the page, a send's request leaves before the thread re-renders for it (use-lazy-chat.ts holds the update).
import { randomUUID } from 'node:crypto';
import { newSignedInPage, send, thread, waitForAnswer } from './helpers';
import { expect, test } from './test';

interface Timed {
  encoding: string | null;
  cacheControl: string | null;
  firstTextMs: number;
  endMs: number;
}

/** Reads a UI message stream as a browser would ask for it (gzip accepted), timing first text and end. */
async function readTimed(response: Promise<Response>): Promise<Timed> {
  const t0 = performance.now();
  const res = await response;
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let firstTextMs = NaN;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (Number.isNaN(firstTextMs) && next.value.includes('"type":"text-delta"')) firstTextMs = performance.now() - t0;
  }
  return {
    encoding: res.headers.get('content-encoding'),
    cacheControl: res.headers.get('cache-control'),
    firstTextMs,
    endMs: performance.now() - t0,
  };
}

test('the first words of an answer arrive while the rest is generated, also on resume', async ({ browser, baseURL }) => {
  const page = await newSignedInPage(browser);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const headers = { cookie, 'accept-encoding': 'gzip, deflate, br', origin: baseURL!, 'content-type': 'application/json' };
  const id = randomUUID();
  // The e2e simulator streams 120 tokens a second: 300 tokens take about 2.5 s.
  const answer = readTimed(
    fetch(`${baseURL}/api/chat`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        id,
        trigger: 'submit-message',
        message: { id: randomUUID(), role: 'user', parts: [{ type: 'text', text: 'Please reply with 300 tokens' }] },
        settings: { model: 'kimi-k2.6', systemPrompt: '', temperature: null },
      }),
    }),
  );
  await expect.poll(async () => (await fetch(`${baseURL}/api/conversations/${id}`, { headers })).status).toBe(200);
  const resumed = readTimed(fetch(`${baseURL}/api/chat/${id}/stream`, { headers }));

  for (const [name, timed] of [
    ['answer', await answer],
    ['resume', await resumed],
  ] as const) {
    expect(timed.encoding, `${name}: content-encoding`).toBeNull();
    expect(timed.cacheControl, `${name}: cache-control`).toContain('no-transform');
    expect(timed.firstTextMs, `${name}: first text before the end`).toBeLessThan(timed.endMs - 1_000);
  }
});

/**
 * In the page: what happens first after the next click — the POST to /api/chat being made (`request`) or
 * the thread changing (`thread`, with whether it then shows `text`). Read with `window.order`. The thread
 * is watched from the click on, so a late change of the previous answer cannot count.
 */
const armOrder = (text: string) => `(() => {
  window.order = [];
  if (!window.fetchWatched) {
    window.fetchWatched = true;
    const original = window.fetch;
    window.fetch = (...args) => {
      const url = String(args[0] && args[0].url ? args[0].url : args[0]);
      if (url.includes('/api/chat') && args[1] && args[1].method === 'POST') window.order.push('request');
      return original(...args);
    };
  }
  document.addEventListener('click', () => {
    const log = document.querySelector('[role="log"]');
    const observer = new MutationObserver(() => {
      observer.disconnect();
      window.order.push(log.textContent.includes(${JSON.stringify(text)}) ? 'thread shows it' : 'thread');
    });
    observer.observe(log, { subtree: true, childList: true, characterData: true, attributes: true });
  }, { capture: true, once: true });
})()`;

test('a send and a regenerate make their request before the thread re-renders (for a send, to show the message)', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await send(page, 'hello first');
  await waitForAnswer(page);

  await page.evaluate(armOrder('hello second'));
  await send(page, 'hello second');
  await expect.poll(() => page.evaluate('window.order')).toEqual(['request', 'thread shows it']);
  await expect(thread(page)).toContainText('You said: "hello second"');
  await waitForAnswer(page);

  // A regenerate drops the answer: the thread changes, after the request.
  await page.evaluate(armOrder('You said: "hello second"'));
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect.poll(() => page.evaluate('window.order')).toEqual(['request', 'thread']);
  await waitForAnswer(page);
});

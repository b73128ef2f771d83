// One document must not take the server down for everyone (issue 17, item 1). Against the real built
// server: user A uploads a valid 91 MB DOCX whose word/document.xml is 251 MB of low-repetition text
// (ratio under 3, so no ratio check fires; generated here) while user B's answer streams from the
// simulator and /api/health is polled. A gets a clear document_too_large; B's answer finishes whole;
// health keeps answering within a generous multiple of its own baseline, measured first in this test;
// the server is still up afterwards and never logged running out of memory.
import { randomUUID } from 'node:crypto';
import { largeTextDocx } from '../support/fixtures/documents';
import {
  createThrowawayDatabase,
  createUsers,
  type ServerProcess,
  startServer,
  startSimulatorProcess,
  streamTurn,
  type ThrowawayDatabase,
} from '../support/server-process';
import { expect, test } from './test';

const SECRET = 'documents-limits-secret-0123456789abcdef';
const KEY = 'sk-documents-limits';

async function timedHealth(origin: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(30_000) }).catch(() => null);
  await res?.text();
  return { ms: performance.now() - started, status: res?.status ?? 0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('a DOCX too large to read gets a clear error while another user chats and /api/health answers', async () => {
  test.setTimeout(600_000);
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>> | undefined;
  let database: ThrowawayDatabase | undefined;
  let server: ServerProcess | undefined;
  try {
    // 150 tokens/s: B's 900-token answer streams for about 6 s, across the whole upload. In its own process:
    // in this one, sending the 91 MB upload would delay the simulator's chunks, not the server's.
    sim = await startSimulatorProcess(KEY, { ttftMs: 0, tokensPerSecond: 150 });
    database = await createThrowawayDatabase('pglite');
    const [alice, bob] = await createUsers(database, 2, SECRET, 'limits');
    server = await startServer({ database, secret: SECRET, kimi: { baseURL: sim.url, apiKey: KEY }, env: { RATE_LIMIT_CHAT_PER_MINUTE: '0' } });
    const { origin } = server;

    const bomb = largeTextDocx({ megabytes: 251 });
    expect(bomb.length).toBeGreaterThan(80 * 1024 * 1024);

    // Warm up (first requests compile nothing in a build, but open caches), then the baseline.
    await streamTurn(origin, bob!, { conversationId: randomUUID(), messageId: randomUUID(), text: 'reply with 5 tokens' });
    for (let i = 0; i < 5; i++) await timedHealth(origin);
    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) baseline.push((await timedHealth(origin)).ms);
    const bound = Math.max(2_000, 20 * median(baseline));

    // B's chat, with the largest pause between its chunks.
    let lastChunkAt = 0;
    let largestGap = 0;
    const chat = streamTurn(origin, bob!, { conversationId: randomUUID(), messageId: randomUUID(), text: 'reply with 900 tokens' }, (seen) => {
      const now = performance.now();
      if (seen.firstTextMs !== null) {
        if (lastChunkAt) largestGap = Math.max(largestGap, now - lastChunkAt);
        lastChunkAt = now;
      }
    });
    // Let the answer start before the upload.
    await expect.poll(() => lastChunkAt, { timeout: 30_000 }).toBeGreaterThan(0);

    const uploadStarted = performance.now();
    const upload = fetch(`${origin}/api/documents?conversationId=${randomUUID()}`, {
      method: 'POST',
      headers: { cookie: alice!.cookie, origin, 'x-file-name': 'report.docx', 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bomb),
    }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as { error?: { code: string; params?: Record<string, unknown> } },
      ms: performance.now() - uploadStarted,
    }));

    // Poll health until both the upload and the chat are done.
    const during: Array<{ ms: number; status: number }> = [];
    let settled = false;
    const both = Promise.all([upload, chat]).finally(() => (settled = true));
    while (!settled) {
      during.push(await timedHealth(origin));
      await new Promise((r) => setTimeout(r, 100));
    }
    const [uploaded, answer] = await both;

    // A: a clear, specific error.
    expect(uploaded.status).toBe(413);
    expect(uploaded.body.error?.code).toBe('document_too_large');
    expect(uploaded.body.error?.params?.maxChars).toBeGreaterThan(0);
    // B: the answer streamed to its end.
    expect(answer.status).toBe(200);
    expect(answer.finished).toBe(true);
    expect(answer.closed).toBe(true);
    expect(answer.text.split(' ').length).toBeGreaterThan(100);
    // B's answer may pause while the document is read: 1–2.4 s measured on the 2-core machine (the
    // extraction worker starting and reading competes for the cores; health still answers within 0.5 s).
    // A server blocked by the document would stall far longer, or fail B's answer.
    expect(largestGap).toBeLessThan(Math.max(5_000, bound));
    // Health: always answered, always within the bound.
    expect(during.length).toBeGreaterThan(3);
    expect(during.every((h) => h.status === 200)).toBe(true);
    const worst = Math.max(...during.map((h) => h.ms));
    console.log(
      `health baseline median ${median(baseline).toFixed(1)} ms; during the upload median ${median(during.map((h) => h.ms)).toFixed(1)} ms, worst ${worst.toFixed(1)} ms (bound ${bound.toFixed(0)} ms); ` +
        `upload answered in ${uploaded.ms.toFixed(0)} ms; largest gap in B's stream ${largestGap.toFixed(0)} ms`,
    );
    expect(worst).toBeLessThan(bound);
    // Still up, and nothing ran out of memory.
    expect((await timedHealth(origin)).status).toBe(200);
    expect(server.output()).not.toMatch(/heap out of memory|FATAL ERROR/i);
  } finally {
    await server?.stop();
    await database?.cleanup();
    await sim?.close();
  }
});

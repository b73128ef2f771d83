// The browser's chat turn as deployed: `scripts/start.ts` (built) serves POST /api/chat on node:http
// before Next.js (lib/chat/node-route.ts), with the route's own handler. Over real HTTP against the started
// server and a simulator: the UI message stream with the API security headers, the same-origin and
// sign-in checks, and an answer that is finished and saved after the browser went away mid-stream.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CSP, SECURITY_HEADERS } from '@/lib/security/headers';
import { type Simulator, startSimulator } from '@/sim';
import {
  createThrowawayDatabase,
  createUsers,
  type ServerProcess,
  startServer,
  type TestUser,
  type ThrowawayDatabase,
  waitFor,
} from '@/tests/support/server-process';
import { parseSse } from '@/tests/support/ui-stream';

const SECRET = `chat-hot-path-${randomUUID()}`;
const KEY = 'sk-chat-hot-path';

describe('the chat turn on node:http in the started server', () => {
  let sim: Simulator;
  let database: ThrowawayDatabase;
  let server: ServerProcess;
  let alice: TestUser;

  const turn = (text: string, id = randomUUID()) => ({
    id,
    trigger: 'submit-message',
    message: { id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
    settings: { model: 'kimi-k2.6', systemPrompt: '', temperature: null, thinking: false },
  });
  const post = (body: unknown, headers: Record<string, string>, signal?: AbortSignal) =>
    fetch(`${server.origin}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
    });

  beforeAll(async () => {
    sim = await startSimulator({ apiKeys: [KEY], tokensPerSecond: 200 });
    database = await createThrowawayDatabase('pglite');
    [alice] = (await createUsers(database, 1, SECRET, 'hot-path')) as [TestUser];
    server = await startServer({ database, secret: SECRET, kimi: { baseURL: sim.url, apiKey: KEY }, readyTimeoutMs: 400_000 });
    expect(server.output()).toMatch(/\/api\/chat .*served on node:http/);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
    await sim?.close();
    await database?.cleanup();
  });

  it('streams the answer as the UI message stream, with the API security headers', async () => {
    const res = await post(turn('Please reply with 20 tokens'), { cookie: alice.cookie, origin: server.origin });
    expect(res.status).toBe(200);
    for (const { key, value } of SECURITY_HEADERS) expect(res.headers.get(key)).toBe(value);
    expect(res.headers.get('content-security-policy')).toBe(API_CSP);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const body = await res.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const chunks = parseSse(body);
    expect(chunks[0]?.type).toBe('start');
    expect(chunks.filter((c) => c.type === 'text-delta').length).toBeGreaterThan(3);
    expect(chunks.find((c) => c.type === 'finish')).toMatchObject({ finishReason: 'stop', messageMetadata: { status: 'complete' } });
  });

  it('refuses a cross-site request and a signed-out one, as the route does', async () => {
    const crossSite = await post(turn('hi'), { cookie: alice.cookie, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('content-security-policy')).toBe(API_CSP);
    const signedOut = await post(turn('hi'), { origin: server.origin });
    expect(signedOut.status).toBe(401);
    expect(((await signedOut.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('finishes and saves an answer whose browser went away mid-stream', async () => {
    const id = randomUUID();
    const leave = new AbortController();
    const res = await post(turn('Please reply with 200 tokens', id), { cookie: alice.cookie, origin: server.origin }, leave.signal);
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('"text-delta"')) seen += new TextDecoder().decode((await reader.read()).value);
    leave.abort();
    const detail = await waitFor(
      async () => {
        const read = await fetch(`${server.origin}/api/conversations/${id}`, { headers: { cookie: alice.cookie } });
        const json = (await read.json()) as {
          messages: Array<{ role: string; metadata: { status: string }; parts: Array<{ type: string; text?: string }> }>;
        };
        const answer = json.messages.find((m) => m.role === 'assistant');
        return answer?.metadata.status === 'complete' ? answer : undefined;
      },
      30_000,
      'the answer saved complete',
    );
    const text = detail.parts
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join('');
    expect(text.split(/\s+/).length).toBeGreaterThan(100);
  });
});

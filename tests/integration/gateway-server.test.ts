// The gateway's hot path as deployed: `scripts/start.ts` (built) serves POST /api/v1/chat/completions on
// node:http before Next.js (lib/gateway/node-server.ts). Over real HTTP against the started server and a
// simulator: the API security headers, Kimi's bytes untouched, ledger rows equal to Kimi's usage, a cut
// stream estimated, a revoked key and the quota refused — on PGlite (one process) and on PostgreSQL with
// INSTANCES=2 (two cluster workers; each new connection goes to the next one).
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessageTokens, countTokens } from '@/lib/kimi/tokenizer';
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

const SECRET = `gateway-server-${randomUUID()}`;
const KEY = 'sk-gateway-server';
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const ASK = { model: 'kimi-k2.6', thinking: { type: 'disabled' } };

describe.each<{ kind: 'pglite' | 'postgres'; env: Record<string, string> }>([
  { kind: 'pglite', env: {} },
  { kind: 'postgres', env: { INSTANCES: '2', REDIS_URL } },
])('the gateway hot path in the started server, $kind', ({ kind, env }) => {
  let sim: Simulator;
  let database: ThrowawayDatabase;
  let server: ServerProcess | undefined;
  let alice: TestUser;
  let bob: TestUser;
  const keys: Record<string, { id: string; secret: string }> = {};

  const chatCalls = () => sim.requests().filter((r) => r.path === '/v1/chat/completions');
  const client = (secret: string) => new OpenAI({ apiKey: secret, baseURL: `${server!.origin}/api/v1`, maxRetries: 0 });
  async function makeKey(user: TestUser, name: string) {
    const res = await fetch(`${server!.origin}/api/keys`, {
      method: 'POST',
      headers: { cookie: user.cookie, origin: server!.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { key: { id: string }; secret: string };
    keys[name] = { id: body.key.id, secret: body.secret };
    return keys[name];
  }
  /** The ledger, read with the server stopped (PGlite has one writer): every row of each key. */
  async function ledger() {
    await server!.stop();
    server = undefined;
    return database.use((prisma) => prisma.usage.findMany({ where: { apiKeyId: { not: null } }, orderBy: { id: 'asc' } }));
  }

  beforeAll(async () => {
    sim = await startSimulator({ apiKeys: [KEY] });
    database = await createThrowawayDatabase(kind);
    [alice, bob] = (await createUsers(database, 2, SECRET, `gw-${kind}`)) as [TestUser, TestUser];
    // Bob's quota is used up by his first call.
    await database.use((prisma) => prisma.user.update({ where: { id: bob.id }, data: { monthlyTokenLimit: 1 } }));
    server = await startServer({
      database,
      secret: SECRET,
      kimi: { baseURL: sim.url, apiKey: KEY },
      env: { ...env, RATE_LIMIT_API_KEY_PER_MINUTE: '0', RATE_LIMIT_API_USER_PER_MINUTE: '0' },
      readyTimeoutMs: 400_000,
    });
    if (env.INSTANCES) await waitFor(() => (server!.output().match(/worker \d+ is serving/g) ?? []).length === 2, 60_000, 'both workers');
    // Each serving process took the hot path from the built app (not Next's route).
    expect(server.output().match(/served on node:http/g)).toHaveLength(env.INSTANCES ? 2 : 1);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
    await sim?.close();
    await database?.cleanup();
  });

  it('streams Kimi’s bytes untouched with the API security headers, and writes exact rows, an estimate for a cut stream, and refusals', async () => {
    const a = await makeKey(alice, 'alice');
    const b = await makeKey(bob, 'bob');
    const revoked = await makeKey(alice, 'revoked');

    // Streamed, raw: the headers next.config.ts gives every API response, and the simulator's bytes as sent.
    const raw = await fetch(`${server!.origin}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ASK, stream: true, messages: [{ role: 'user', content: 'Please reply with 40 tokens' }] }),
    });
    expect(raw.status).toBe(200);
    for (const { key, value } of SECURITY_HEADERS) expect(raw.headers.get(key)).toBe(value);
    expect(raw.headers.get('content-security-policy')).toBe(API_CSP);
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await raw.text();
    expect(text).toMatch(/"finish_reason":"stop"/);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);

    // Through the official client, several at once (both workers when there are two), streamed and not.
    const openai = client(a.secret);
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        openai.chat.completions.create({ ...ASK, stream: i % 2 === 0, messages: [{ role: 'user', content: `Hello ${i}` }] } as never),
      ).map(async (p) => {
        const result = (await p) as unknown;
        if (result && typeof result === 'object' && Symbol.asyncIterator in result) for await (const _ of result as AsyncIterable<unknown>);
      }),
    );

    // A client that goes away mid-stream: the upstream call is aborted, the row is an estimate.
    sim.queueFaults('stall:5000', 1, 'kimi-k2.6');
    const cut = [{ role: 'user' as const, content: 'Please reply with 400 tokens' }];
    const abort = new AbortController();
    let seen = '';
    try {
      const stream = await openai.chat.completions.create({ ...ASK, stream: true, messages: cut } as never, { signal: abort.signal });
      for await (const chunk of stream as unknown as AsyncIterable<{ choices: Array<{ delta: { content?: string } }> }>) {
        seen += chunk.choices[0]?.delta.content ?? '';
        if (seen.length > 0) abort.abort();
      }
    } catch {
      // the abort
    }
    await waitFor(() => chatCalls().at(-1)?.aborted, 10_000, 'the upstream call to be aborted');

    // Bob's first call uses his quota up; the second is refused before any upstream call.
    await client(b.secret).chat.completions.create({ ...ASK, messages: [{ role: 'user', content: 'once' }] } as never);
    const upstreamBefore = chatCalls().length;
    await expect(client(b.secret).chat.completions.create({ ...ASK, messages: [{ role: 'user', content: 'twice' }] } as never)).rejects.toMatchObject(
      {
        status: 429,
        error: { type: 'exceeded_current_quota_error' },
      },
    );

    // A revoked key is refused at once (by any worker: the revoking one forgets it, the others within 5 s).
    const res = await fetch(`${server!.origin}/api/keys/${revoked.id}`, {
      method: 'DELETE',
      headers: { cookie: alice.cookie, origin: server!.origin },
    });
    expect(res.status).toBe(204);
    await waitFor(
      () =>
        client(revoked.secret)
          .chat.completions.create({ ...ASK, messages: [{ role: 'user', content: 'after revoking' }] } as never)
          .then(
            () => false,
            (error: { status?: number }) => error.status === 401,
          ),
      10_000,
      'the revoked key to be refused',
    );
    expect(chatCalls().length).toBe(upstreamBefore);

    const calls = chatCalls();
    const rows = await ledger();
    expect(rows).toHaveLength(calls.length);
    const byRequest = new Map(rows.map((r) => [r.requestId, r]));
    for (const upstream of calls) {
      const row = byRequest.get(upstream.id);
      if (upstream.aborted) {
        expect(row).toMatchObject({ outcome: 'stopped', estimated: true, apiKeyId: a.id, promptTokens: countMessageTokens(cut) });
        expect(row!.completionTokens).toBeGreaterThanOrEqual(countTokens(seen));
        expect(row!.completionTokens).toBeLessThan(400);
        continue;
      }
      const u = upstream.usage!;
      expect({ prompt: row?.promptTokens, cached: row?.cachedTokens, completion: row?.completionTokens, estimated: row?.estimated }).toEqual({
        prompt: u.prompt_tokens,
        cached: u.cached_tokens ?? u.prompt_tokens_details?.cached_tokens ?? 0,
        completion: u.completion_tokens,
        estimated: false,
      });
      expect(row).toMatchObject({ purpose: 'api', outcome: 'ok' });
    }
    expect(rows.filter((r) => r.apiKeyId === b.id)).toHaveLength(1);
    expect(rows.filter((r) => r.apiKeyId === revoked.id)).toHaveLength(0);
  }, 120_000);
});

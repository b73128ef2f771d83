// The /api/v1 gateway (issue 16) end to end: the official `openai` client over real HTTP against the app's
// own handlers (tests/support/route-server.ts) — chat calls through the start script's node:http hot path
// (lib/gateway/node-server.ts), or through the Next.js route (`npm run dev`) — a real database and the
// simulator over real HTTP. tests/integration/gateway-server.test.ts runs the hot path in the started app.
// Every call that reaches Kimi is one ledger row (purpose `api`, the key) with exactly the usage Kimi
// reported, in both of Kimi's streamed usage shapes; refusals happen before any upstream call.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetCachedUser } from '@/lib/auth/session';
import { countMessageTokens, countTokens } from '@/lib/kimi/tokenizer';
import { WEB_SEARCH_FEES } from '@/lib/kimi/web-search';
import type { LoggedUsage, Simulator } from '@/sim';
import { type ChatHarness, openChatHarness, type Who, waitFor } from '@/tests/support/chat-harness';
import { parseCsvRecords } from '@/tests/support/csv';
import { SAMPLES } from '@/tests/support/images';
import { type RouteHandler, type RouteServer, startRouteServer } from '@/tests/support/route-server';

type Module = Record<string, RouteHandler>;
const KEY_LIMIT = 6;
const USER_LIMIT = 10;

/** `node`: chat calls take the hot path, as under `npm start`; `route`: the Next.js route, as under `npm run dev`. */
export function gatewaySuite(kind: 'pglite' | 'postgres', chatPath: 'node' | 'route' = 'node'): void {
  describe(`/api/v1 gateway on ${kind}, chat calls through the ${chatPath === 'node' ? 'node:http hot path' : 'Next.js route'}`, () => {
    let h: ChatHarness;
    let sim: Simulator;
    let prisma: ChatHarness['prisma'];
    let server: RouteServer;
    let admin: Who & { email: string };
    let keys: Module;
    let key: Module;
    let adminAccess: Module;
    let adminKey: Module;
    let adminUser: Module;
    let exportCsv: Module;
    let n = 0;

    beforeAll(async () => {
      h = await openChatHarness(kind, { RATE_LIMIT_API_KEY_PER_MINUTE: String(KEY_LIMIT), RATE_LIMIT_API_USER_PER_MINUTE: String(USER_LIMIT) });
      ({ sim, prisma } = h);
      const imp = async (p: string) => (await import(/* @vite-ignore */ p)) as Module;
      keys = await imp('@/app/api/keys/route');
      key = await imp('@/app/api/keys/[id]/route');
      adminAccess = await imp('@/app/api/admin/api-access/route');
      adminKey = await imp('@/app/api/admin/api-keys/[id]/route');
      exportCsv = await imp('@/app/api/admin/usage/export/route');
      adminUser = await imp('@/app/api/admin/users/[id]/route');
      const chat = await imp('@/app/api/v1/chat/completions/route');
      const models = await imp('@/app/api/v1/models/route');
      const estimate = await imp('@/app/api/v1/tokenizers/estimate-token-count/route');
      const { serveNodeGateway } = await import('@/lib/gateway/node-server');
      server = await startRouteServer(
        {
          '/api/v1/chat/completions': chat,
          '/api/v1/models': models,
          '/api/v1/tokenizers/estimate-token-count': estimate,
        },
        chatPath === 'node' ? serveNodeGateway : undefined,
      );
      // The first account is the administrator.
      admin = { ...(await h.signedIn(`gw-admin-${kind}@example.com`)), email: `gw-admin-${kind}@example.com` };
      await prisma.user.update({ where: { id: admin.id }, data: { role: 'admin' } });
      // Three route modules and the app's gateway load here: over a minute on a busy 2-core machine.
    }, 180_000);
    afterAll(async () => {
      await server?.close();
      await h?.close();
    });

    /** A fresh user (so per-user limits and quotas are the test's own) with a key made through the account route. */
    async function caller(extra: { expiresInDays?: number } = {}) {
      n++;
      const who = await h.signedIn(`gw-${kind}-${n}@example.com`);
      const made = await makeKey(who, `script ${n}`, extra);
      return { who, ...made, openai: client(made.secret) };
    }
    async function makeKey(who: Who, name: string, extra: object = {}) {
      const res = await keys.POST!(h.req(who, '/api/keys', { method: 'POST', body: JSON.stringify({ name, ...extra }) }));
      expect(res.status).toBe(201);
      const body = (await res.json()) as { key: { id: string; name: string; prefix: string }; secret: string };
      return { keyId: body.key.id, secret: body.secret, key: body.key };
    }
    const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${server.origin}/api/v1`, maxRetries: 0 });
    const chatCalls = () => sim.requests().filter((r) => r.path === '/v1/chat/completions');
    const rowsOf = (apiKeyId: string) =>
      waitFor(async () => {
        const rows = await prisma.usage.findMany({ where: { apiKeyId }, orderBy: { id: 'asc' } });
        return rows.length > 0 && rows;
      });
    function expectExact(
      row: { promptTokens: number; cachedTokens: number; completionTokens: number; reasoningTokens: number; estimated: boolean },
      u: LoggedUsage,
    ) {
      expect({
        prompt: row.promptTokens,
        cached: row.cachedTokens,
        completion: row.completionTokens,
        reasoning: row.reasoningTokens,
        estimated: row.estimated,
      }).toEqual({
        prompt: u.prompt_tokens,
        cached: u.cached_tokens ?? u.prompt_tokens_details?.cached_tokens ?? 0,
        completion: u.completion_tokens,
        reasoning: u.completion_tokens_details?.reasoning_tokens ?? 0,
        estimated: false,
      });
    }
    /** What a refused call must look like: Kimi's error shape and status, and nothing sent upstream. */
    async function refused(run: () => Promise<unknown>, status: number, type: string, message?: RegExp) {
      sim.clearRequests();
      const error = (await run().then(
        () => undefined,
        (e: unknown) => e,
      )) as { status?: number; error?: { type?: string; message?: string }; headers?: Headers } | undefined;
      expect(error, 'the call was refused').toBeInstanceOf(OpenAI.APIError);
      expect({ status: error?.status, type: error?.error?.type }).toEqual({ status, type });
      if (message) expect(error?.error?.message).toMatch(message);
      expect(chatCalls(), 'no upstream call').toEqual([]);
      return error!;
    }
    const ask = (openai: OpenAI, content = 'Hello through the gateway') =>
      openai.chat.completions.create({ model: 'kimi-k2.6', messages: [{ role: 'user', content }], thinking: { type: 'disabled' } } as never);

    it('non-streaming: Kimi’s response shape, and one exact ledger row with the key', async () => {
      const c = await caller();
      sim.clearRequests();
      const res = (await ask(c.openai)) as OpenAI.ChatCompletion & { choices: Array<{ usage?: unknown }> };
      expect(res.object).toBe('chat.completion');
      expect(res.choices[0]?.message.content).toContain('Hello through the gateway');
      const upstream = chatCalls();
      expect(upstream).toHaveLength(1);
      expect(upstream[0]?.headers.authorization).not.toContain(c.secret.slice(-4)); // the account's key went up, not the personal one
      expect(res.usage).toEqual(upstream[0]?.usage);
      const [row, ...more] = await rowsOf(c.keyId);
      expect(more).toEqual([]);
      expectExact(row!, upstream[0]!.usage!);
      expect(row).toMatchObject({
        purpose: 'api',
        userId: c.who.id,
        requestedModel: 'kimi-k2.6',
        servedModel: 'kimi-k2.6',
        outcome: 'ok',
        conversationId: null,
      });
      expect(Number(row!.cost)).toBeGreaterThan(0);
      expect(row!.requestId).toBe(upstream[0]?.id);
    });

    it('streaming, usage inside the finishing choice only (K2.6): passed through untouched, counted once', async () => {
      const c = await caller();
      sim.clearRequests();
      const stream = await c.openai.chat.completions.create({
        model: 'kimi-k2.6',
        stream: true,
        messages: [{ role: 'user', content: 'Please reply with 40 tokens' }],
      });
      const chunks: Array<{
        choices: Array<{ delta: { content?: string; reasoning_content?: string }; usage?: unknown; finish_reason: string | null }>;
        usage?: unknown;
      }> = [];
      for await (const chunk of stream) chunks.push(chunk as never);
      const upstream = chatCalls()[0]!;
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks.at(-1)?.choices[0]?.usage).toEqual(upstream.usage);
      expect(chunks.filter((c) => c.usage !== undefined && c.usage !== null)).toEqual([]);
      expect(chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('').length).toBeGreaterThan(0);
      const rows = await rowsOf(c.keyId);
      expect(rows).toHaveLength(1);
      expectExact(rows[0]!, upstream.usage!);
      expect(rows[0]!.ttftMs).not.toBeNull();
    });

    it('streaming, usage in the choice and again in a trailing chunk (K3): counted once', async () => {
      const c = await caller();
      sim.clearRequests();
      const stream = await c.openai.chat.completions.create({
        model: 'kimi-k3',
        stream: true,
        messages: [{ role: 'user', content: 'Please reply with 30 tokens' }],
      });
      const chunks: Array<{ choices: Array<{ usage?: unknown }>; usage?: unknown }> = [];
      for await (const chunk of stream) chunks.push(chunk as never);
      const upstream = chatCalls()[0]!;
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: upstream.usage });
      expect(chunks.at(-2)?.choices[0]?.usage).toEqual(upstream.usage);
      const rows = await rowsOf(c.keyId);
      expect(rows).toHaveLength(1);
      expectExact(rows[0]!, upstream.usage!);
      expect(rows[0]!.reasoningTokens).toBeGreaterThan(0);
    });

    it('tools: a function tool call and the $web_search round trip pass through; the search fee is in the row', async () => {
      const c = await caller();
      sim.clearRequests();
      const tool = {
        type: 'function' as const,
        function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      };
      const called = await c.openai.chat.completions.create({
        model: 'kimi-k2.6',
        thinking: { type: 'disabled' },
        tools: [tool],
        messages: [{ role: 'user', content: 'call tool get_weather with {"city":"Beijing"}' }],
      } as never);
      expect((called as OpenAI.ChatCompletion).choices[0]?.finish_reason).toBe('tool_calls');
      expect((called as OpenAI.ChatCompletion).choices[0]?.message.tool_calls?.[0]).toMatchObject({
        function: { name: 'get_weather', arguments: '{"city":"Beijing"}' },
      });
      expect(chatCalls()[0]?.params.tools).toEqual([tool]);

      const search = { type: 'builtin_function', function: { name: '$web_search' } };
      const question = 'search the web for the news today';
      const first = (await c.openai.chat.completions.create({
        model: 'kimi-k2.6',
        thinking: { type: 'disabled' },
        tools: [search],
        stream: true,
        messages: [{ role: 'user', content: question }],
      } as never)) as unknown as AsyncIterable<{
        choices: Array<{ delta: { tool_calls?: Array<{ id?: string; type?: string; function?: { name?: string; arguments?: string } }> } }>;
      }>;
      let id = '';
      let args = '';
      for await (const chunk of first)
        for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
          id ||= call.id ?? '';
          args += call.function?.arguments ?? '';
        }
      expect(chatCalls()[1]?.params.tools).toEqual([search]);
      const answer = (await c.openai.chat.completions.create({
        model: 'kimi-k2.6',
        thinking: { type: 'disabled' },
        tools: [search],
        messages: [
          { role: 'user', content: question },
          { role: 'assistant', content: '', tool_calls: [{ id, type: 'builtin_function', function: { name: '$web_search', arguments: args } }] },
          { role: 'tool', tool_call_id: id, name: '$web_search', content: args },
        ],
      } as never)) as OpenAI.ChatCompletion;
      expect(answer.choices[0]?.finish_reason).toBe('stop');
      const written = await waitFor(async () => {
        const r = await prisma.usage.findMany({ where: { apiKeyId: c.keyId } });
        return r.length === 3 && r;
      });
      // In call order, by Kimi's request id: the client reads a stream up to its [DONE] and moves on, so the
      // next call's row may be committed before the stream's own.
      const rows = chatCalls().map((call) => written.find((r) => r.requestId === call.id)!);
      expect(rows.map((r) => r?.webSearches)).toEqual([0, 1, 0]);
      for (const [i, call] of chatCalls().entries()) expectExact(rows[i]!, call.usage!);
      const fee = Number(WEB_SEARCH_FEES.CNY);
      const tokensOnly = Number(rows[1]!.cost) - fee;
      expect(tokensOnly).toBeGreaterThan(0);
      expect(tokensOnly).toBeLessThan(Number(rows[1]!.cost));
    });

    it('images: a data URL reaches Kimi and its tokens are in the row; a web URL gets Kimi’s own 400 and a zero row', async () => {
      const c = await caller();
      sim.clearRequests();
      const url = `data:image/png;base64,${SAMPLES.png(640, 480).toString('base64')}`;
      const res = (await c.openai.chat.completions.create({
        model: 'kimi-k2.6',
        thinking: { type: 'disabled' },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'image_url', image_url: { url } },
            ],
          },
        ],
      } as never)) as OpenAI.ChatCompletion;
      expect(res.choices[0]?.message.content).toMatch(/image/);
      const upstream = chatCalls()[0]!;
      const [row] = await rowsOf(c.keyId);
      expectExact(row!, upstream.usage!);
      expect(row!.promptTokens).toBeGreaterThan(countMessageTokens([{ role: 'user', content: 'What is in this picture?' }]) + 100);

      sim.clearRequests();
      const error = (await c.openai.chat.completions
        .create({
          model: 'kimi-k2.6',
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
        } as never)
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(400);
      expect((error.error as { message: string }).message).toMatch(/unsupported image url/);
      expect(chatCalls()).toHaveLength(1);
      const rows = await waitFor(async () => {
        const r = await prisma.usage.findMany({ where: { apiKeyId: c.keyId }, orderBy: { id: 'asc' } });
        return r.length === 2 && r;
      });
      expect(rows[1]).toMatchObject({ outcome: 'error', promptTokens: 0, completionTokens: 0, errorType: 'bad_request' });
      expect(Number(rows[1]!.cost)).toBe(0);
    });

    it('invalid requests are refused before any upstream call with Kimi’s 400', async () => {
      const c = await caller();
      await refused(() => c.openai.chat.completions.create({ model: 'kimi-k2.6', messages: [] }), 400, 'invalid_request_error', /messages/);
      await refused(
        () => c.openai.chat.completions.create({ messages: [{ role: 'user', content: 'hi' }] } as never),
        400,
        'invalid_request_error',
        /model/,
      );
      await refused(
        () => c.openai.chat.completions.create({ model: 'kimi-k2.6', messages: [{ role: 'wizard', content: 'hi' }] } as never),
        400,
        'invalid_request_error',
      );
      sim.clearRequests();
      const raw = await fetch(`${server.origin}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.secret}` },
        body: '{not json',
      });
      expect(raw.status).toBe(400);
      expect(await raw.json()).toEqual({ error: { type: 'invalid_request_error', message: 'Invalid request: the body is not valid JSON' } });
      expect(chatCalls()).toEqual([]);
      expect(await prisma.usage.count({ where: { userId: c.who.id } })).toBe(0);
    });

    it('Kimi’s refusals pass through in its shape (a retired model’s 404), with a zero-cost row', async () => {
      const c = await caller();
      sim.clearRequests();
      const error = (await c.openai.chat.completions
        .create({ model: 'moonshot-v1-8k', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(404);
      expect(error.error).toMatchObject({ type: 'resource_not_found_error' });
      const [row] = await rowsOf(c.keyId);
      expect(row).toMatchObject({ outcome: 'error', errorType: 'model_not_found', promptTokens: 0 });
    });

    it('Kimi’s 429 is retried after the wait it names; one whose wait does not fit passes through with its account key scrubbed', async () => {
      const c = await caller();
      sim.clearRequests();
      sim.queueFaults('rate_limit:1', 1, 'kimi-k2.6');
      const answer = (await c.openai.chat.completions.create({
        model: 'kimi-k2.6',
        thinking: { type: 'disabled' },
        messages: [{ role: 'user', content: 'hi' }],
      } as never)) as OpenAI.ChatCompletion;
      expect(answer.choices[0]?.finish_reason).toBe('stop');
      expect(chatCalls().map((r) => r.status)).toEqual([429, 200]);
      const [row] = await rowsOf(c.keyId);
      expectExact(row!, chatCalls()[1]!.usage!);

      sim.clearRequests();
      sim.queueFaults('rate_limit:30', 1, 'kimi-k2.6');
      const error = (await c.openai.chat.completions
        .create({ model: 'kimi-k2.6', messages: [{ role: 'user', content: 'hi' }] } as never)
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(429);
      const message = (error.error as { message: string }).message;
      // Kimi names the account (`<ak-…>`) in its message: never passed on.
      expect(message).toMatch(/30 seconds/);
      expect(message).not.toMatch(/ak-/);
      expect(chatCalls()).toHaveLength(1);
    });

    it('refuses keys that are missing, wrong, revoked, expired, of a disabled or pending user, or with API access off — before any upstream call', async () => {
      const c = await caller();
      sim.clearRequests();
      const keyless = await fetch(`${server.origin}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'kimi-k2.6', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(keyless.status).toBe(401);
      expect(((await keyless.json()) as { error: { type: string; message: string } }).error).toMatchObject({
        type: 'invalid_authentication_error',
        message: expect.stringMatching(/Missing API key/),
      });
      await refused(() => ask(client(`kc-${'x'.repeat(43)}`)), 401, 'invalid_authentication_error', /Incorrect API key/);
      await refused(() => ask(client('sk-the-account-key')), 401, 'invalid_authentication_error', /Incorrect API key/);

      // Another user's key that its owner revoked; the key of a user who tried to revoke someone else's.
      const other = await caller();
      expect((await key.DELETE!(h.req(c.who, `/api/keys/${other.keyId}`, { method: 'DELETE' }), h.ctx(other.keyId))).status).toBe(404);
      await ask(other.openai); // still works: c could not revoke it
      expect((await key.DELETE!(h.req(other.who, `/api/keys/${other.keyId}`, { method: 'DELETE' }), h.ctx(other.keyId))).status).toBe(204);
      await refused(() => ask(other.openai), 401, 'invalid_authentication_error', /revoked/);

      const expiring = await caller({ expiresInDays: 1 });
      // Never used yet, so nothing is cached: the row as the day after tomorrow would see it.
      await prisma.apiKey.update({ where: { id: expiring.keyId }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await refused(() => ask(expiring.openai), 401, 'invalid_authentication_error', /expired/);

      // Disabled by an admin, as the users page does it: the key stops at once.
      const disabled = await caller();
      await ask(disabled.openai);
      const disabling = await adminUser.POST!(
        h.req(admin, `/api/admin/users/${disabled.who.id}`, { method: 'POST', body: JSON.stringify({ action: 'disabled', disabled: true }) }),
        h.ctx(disabled.who.id),
      );
      expect(disabling.status).toBe(200);
      await refused(() => ask(disabled.openai), 401, 'invalid_authentication_error', /disabled/);

      const pending = await caller();
      await prisma.user.update({ where: { id: pending.who.id }, data: { approved: false } });
      forgetCachedUser(pending.who.id); // as a sign-up under the approval policy would have it from the start
      await refused(() => ask(pending.openai), 403, 'permission_denied_error', /approval/);

      // The per-user switch (through the admin route, audited).
      const off = await caller();
      const switched = await adminAccess.POST!(
        h.req(admin, '/api/admin/api-access', { method: 'POST', body: JSON.stringify({ scope: 'user', userId: off.who.id, enabled: false }) }),
      );
      expect(switched.status).toBe(200);
      await refused(() => ask(off.openai), 403, 'permission_denied_error', /switched off for this account/);
      expect(await prisma.auditEvent.findFirst({ where: { kind: 'user.apiAccess', target: `user:${off.who.id}` } })).toMatchObject({
        actorId: admin.id,
        before: true,
        after: false,
      });

      // A browser session cookie alone never reaches the gateway.
      sim.clearRequests();
      const cookieOnly = await fetch(`${server.origin}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { cookie: c.who.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'kimi-k2.6', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(cookieOnly.status).toBe(401);
      expect(chatCalls()).toEqual([]);
      expect(await prisma.usage.count({ where: { apiKeyId: { in: [expiring.keyId, pending.keyId, off.keyId] } } })).toBe(0);
      expect(await prisma.usage.count({ where: { apiKeyId: disabled.keyId } })).toBe(1); // the call before it was disabled
    });

    it('the instance switch turns every key off (audited), and on again', async () => {
      const c = await caller();
      const set = (enabled: boolean) =>
        adminAccess.POST!(h.req(admin, '/api/admin/api-access', { method: 'POST', body: JSON.stringify({ scope: 'instance', enabled }) }));
      expect((await set(false)).status).toBe(200);
      try {
        await refused(() => ask(c.openai), 403, 'permission_denied_error', /instance/);
        await refused(() => c.openai.models.list(), 403, 'permission_denied_error');
      } finally {
        expect((await set(true)).status).toBe(200);
      }
      await ask(c.openai);
      const rows = await prisma.auditEvent.findMany({ where: { kind: 'setting.apiEnabled' }, orderBy: { id: 'asc' } });
      expect(rows.slice(-2).map((r) => [r.before, r.after])).toEqual([
        [true, false],
        [false, true],
      ]);
    });

    it('an admin revokes anyone’s key (audited); the key stops at once', async () => {
      const c = await caller();
      await ask(c.openai);
      const res = await adminKey.POST!(
        h.req(admin, `/api/admin/api-keys/${c.keyId}`, { method: 'POST', body: JSON.stringify({ action: 'revoke' }) }),
        h.ctx(c.keyId),
      );
      expect(res.status).toBe(200);
      await refused(() => ask(c.openai), 401, 'invalid_authentication_error', /revoked/);
      expect(await prisma.auditEvent.findFirst({ where: { kind: 'apiKey.revoke', target: `apiKey:${c.keyId}` } })).toMatchObject({
        actorId: admin.id,
      });
    });

    it('over the monthly quota: a 429 with the reset time before any upstream call', async () => {
      const c = await caller();
      await ask(c.openai);
      await prisma.user.update({ where: { id: c.who.id }, data: { monthlyTokenLimit: 1 } });
      const { forgetQuota } = await import('@/lib/usage/quota');
      forgetQuota(c.who.id);
      const error = await refused(() => ask(c.openai), 429, 'exceeded_current_quota_error', /resets at \d{4}-\d\d-01T00:00:00\.000Z/);
      expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
      expect(await prisma.usage.count({ where: { apiKeyId: c.keyId } })).toBe(1);
    });

    it('rate limits per key and per user, with Kimi’s 429 and Retry-After', async () => {
      const c = await caller();
      const second = await makeKey(c.who, 'second key');
      const estimate = (secret: string) =>
        fetch(`${server.origin}/api/v1/tokenizers/estimate-token-count`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'kimi-k2.6', messages: [{ role: 'user', content: 'count me' }] }),
        });
      for (let i = 0; i < KEY_LIMIT; i++) expect((await estimate(c.secret)).status).toBe(200);
      const byKey = await estimate(c.secret);
      expect(byKey.status).toBe(429);
      expect(Number(byKey.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await byKey.json()) as { error: { type: string } }).error.type).toBe('rate_limit_reached_error');
      for (let i = 0; i < USER_LIMIT - KEY_LIMIT; i++) expect((await estimate(second.secret)).status).toBe(200);
      sim.clearRequests();
      await refused(() => ask(client(second.secret)), 429, 'rate_limit_reached_error', /try again after \d+ seconds/);
    });

    it('a client that goes away mid-stream aborts the upstream call; the usage so far is recorded as an estimate', async () => {
      const c = await caller();
      sim.clearRequests();
      sim.queueFaults('stall:5000', 1, 'kimi-k2.6');
      const messages = [{ role: 'user' as const, content: 'Please reply with 400 tokens' }];
      const abort = new AbortController();
      const stream = await c.openai.chat.completions.create({ model: 'kimi-k2.6', stream: true, messages, thinking: { type: 'disabled' } } as never, {
        signal: abort.signal,
      });
      let text = '';
      try {
        for await (const chunk of stream as unknown as AsyncIterable<{ choices: Array<{ delta: { content?: string } }> }>) {
          text += chunk.choices[0]?.delta.content ?? '';
          if (text.length > 0) abort.abort();
        }
      } catch {
        // the abort
      }
      await waitFor(async () => chatCalls()[0]?.aborted);
      const [row] = await rowsOf(c.keyId);
      expect(row).toMatchObject({ outcome: 'stopped', estimated: true, purpose: 'api' });
      expect(row!.promptTokens).toBe(countMessageTokens(messages));
      expect(row!.completionTokens).toBeGreaterThanOrEqual(countTokens(text));
      expect(row!.completionTokens).toBeLessThan(400); // what was asked for: the rest never came
    });

    it('a client that hangs up after the last event, before Kimi’s stream has ended, leaves the call recorded as ended, exactly', async () => {
      const c = await caller();
      sim.clearRequests();
      // Kimi's connection stays open after `[DONE]`: the client has the whole answer before the end reaches us.
      sim.queueFaults('linger:3000', 1, 'kimi-k2.6');
      const abort = new AbortController();
      const res = await fetch(`${server.origin}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'kimi-k2.6',
          stream: true,
          messages: [{ role: 'user', content: 'Please reply with 30 tokens' }],
          thinking: { type: 'disabled' },
        }),
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      let seen = '';
      while (!seen.includes('data: [DONE]')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      expect(seen).toContain('data: [DONE]');
      abort.abort();
      const [row] = await waitFor(async () => {
        const rows = await rowsOf(c.keyId);
        return rows.length > 0 ? rows : undefined;
      });
      expect(row).toMatchObject({ outcome: 'ok', estimated: false, purpose: 'api' });
      // Kimi's usage as the client received it (in the last choice's finish chunk).
      const usageLine = seen.split('\n').findLast((line) => line.includes('"usage"'));
      const reported = (JSON.parse(usageLine!.slice('data: '.length)) as { choices: Array<{ usage: LoggedUsage }> }).choices[0]!.usage;
      expect(row!.promptTokens).toBe(reported.prompt_tokens);
      expect(row!.completionTokens).toBe(reported.completion_tokens);
    });

    it('GET /models lists what the picker offers; the token estimate is Kimi’s', async () => {
      const c = await caller();
      const { servedModels } = await import('@/lib/chat/models');
      const list = await c.openai.models.list();
      expect(list.data.map((m) => m.id)).toEqual((await servedModels()).map((m) => m.id));
      expect(list.data[0]).toMatchObject({ object: 'model', owned_by: 'moonshot' });
      const messages = [{ role: 'user', content: 'count these tokens please' }];
      const res = await fetch(`${server.origin}/api/v1/tokenizers/estimate-token-count`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'kimi-k2.6', messages }),
      });
      expect(await res.json()).toEqual({ data: { total_tokens: countMessageTokens(messages) } });
    });

    it('keys: the secret is shown once and stored as its SHA-256; lists never carry it; last used is written at most once a minute', async () => {
      const c = await caller();
      expect(c.secret).toMatch(/^kc-[A-Za-z0-9_-]{43}$/);
      const stored = await prisma.apiKey.findUniqueOrThrow({ where: { id: c.keyId } });
      const { createHash } = await import('node:crypto');
      expect(stored.hash).toBe(createHash('sha256').update(c.secret).digest('hex'));
      expect(stored.prefix).toBe(c.secret.slice(0, 9));
      expect(stored.lastUsedAt).toBeNull();
      const listed = await (await keys.GET!(h.req(c.who, '/api/keys'))).text();
      expect(listed).not.toContain(c.secret);
      expect(listed).not.toContain(stored.hash);
      expect(JSON.parse(listed).keys).toEqual([expect.objectContaining({ id: c.keyId, name: c.key.name, prefix: stored.prefix, lastUsedAt: null })]);
      await ask(c.openai);
      const first = (await waitFor(() => prisma.apiKey.findUniqueOrThrow({ where: { id: c.keyId } }).then((k) => k.lastUsedAt)))!;
      await ask(c.openai);
      await new Promise((r) => setTimeout(r, 100));
      expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: c.keyId } })).lastUsedAt).toEqual(first);
      // Other users see none of it.
      const other = await caller();
      expect(JSON.parse(await (await keys.GET!(h.req(other.who, '/api/keys'))).text()).keys.map((k: { id: string }) => k.id)).toEqual([other.keyId]);
    });

    it('the CSV export names the key of every api row', async () => {
      const c = await caller();
      await ask(c.openai);
      await rowsOf(c.keyId);
      const res = await exportCsv.GET!(h.req(admin, '/api/admin/usage/export?from=2000-01-01&to=2999-12-31'));
      const records = parseCsvRecords(await res.text());
      const mine = records.filter((r) => r.user_email === `gw-${kind}-${n}@example.com`);
      expect(mine.map((r) => [r.purpose, r.api_key])).toEqual([['api', c.key.name]]);
      expect(records.filter((r) => r.purpose === 'chat').every((r) => r.api_key === '')).toBe(true);
    });
  });
}

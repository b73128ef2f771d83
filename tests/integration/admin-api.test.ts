// The usage admin end to end below the browser: real route handlers, a real database (PGlite; the data
// layer runs on both kinds in usage-rollups.test.ts) and the simulator over real HTTP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@/lib/db/generated/client';
import { type LoggedRequest, type Simulator, startSimulator } from '@/sim';
import { parseCsv } from '@/tests/support/csv';
import { parseSse } from '@/tests/support/ui-stream';

type Handler = (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>;
type Who = { id: string; cookie: string; email: string };

const SECRET = 'integration-test-secret-0123456789abcdef';
const ORIGIN = 'http://127.0.0.1:3000';
const HOUR = 3_600_000;

describe('usage admin API', () => {
  let sim: Simulator;
  let prisma: Awaited<ReturnType<typeof import('@/lib/db')['db']>>;
  let chat: Handler, exportCsv: Handler, prices: Handler, userRoute: Handler, settings: Handler;
  let admin: Who, alice: Who, bob: Who;
  const logged: Record<string, LoggedRequest[]> = {};

  async function signedIn(email: string): Promise<Who> {
    const { createUser } = await import('@/lib/auth/users');
    const user = await createUser({ email, password: 'correct horse battery' });
    return { id: user.id, email, cookie: await cookieFor(user.id, email, user.role, 0) };
  }
  async function cookieFor(id: string, email: string, role: string, sessionVersion: number) {
    const token = await encode({ token: { sub: id, id, email, role, sessionVersion }, secret: SECRET, salt: 'authjs.session-token' });
    return `authjs.session-token=${token}`;
  }
  const req = (who: Who | null, url: string, init: RequestInit & { json?: unknown } = {}) =>
    new Request(`${ORIGIN}${url}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { ...(who ? { cookie: who.cookie } : {}), 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

  function chatRequest(who: Who, id: string, text: string, model: string) {
    return req(who, '/api/chat', {
      json: {
        id,
        trigger: 'submit-message',
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
        settings: { model, systemPrompt: 'Be exact.', temperature: null },
      },
    });
  }
  async function turn(who: Who, id: string, text: string, model: string) {
    const res = await chat(chatRequest(who, id, text, model));
    expect(res.status).toBe(200);
    parseSse(await res.text());
  }
  const completions = () => sim.requests().filter((r) => r.path === '/v1/chat/completions' && r.usage);
  const last24h = () => ({ range: '24h' as const, from: new Date(Date.now() - 24 * HOUR), to: new Date(Date.now() + 1000) });

  beforeAll(async () => {
    sim = await startSimulator({ apiKeys: ['sk-integration'], tokensPerSecond: 0 });
    Object.assign(process.env, {
      MOONSHOT_API_KEY: 'sk-integration',
      MOONSHOT_BASE_URL: sim.url,
      AUTH_SECRET: SECRET,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kimi-chat-admin-')),
    });
    prisma = await (await import('@/lib/db')).db();
    chat = (await import('@/app/api/chat/route')).POST as Handler;
    exportCsv = (await import('@/app/api/admin/usage/export/route')).GET as Handler;
    prices = (await import('@/app/api/admin/prices/route')).POST as Handler;
    userRoute = (await import('@/app/api/admin/users/[id]/route')).POST as Handler;
    settings = (await import('@/app/api/admin/settings/route')).POST as Handler;
    admin = await signedIn('root@example.com');
    alice = await signedIn('alice@example.com');
    bob = await signedIn('bob@example.com');

    // Real turns on today's models: a cached prefix (second turn of the same conversation), K2.6 thinking
    // by default, K3 (always thinking, dearer), and Auto; titles on the cheapest model.
    sim.clearRequests();
    const a1 = crypto.randomUUID();
    await turn(alice, a1, 'Tell me about long documents', 'kimi-k2.6');
    await turn(alice, a1, 'And about caching them', 'kimi-k2.6');
    await turn(alice, crypto.randomUUID(), 'Think about prime numbers', 'kimi-k3');
    logged[alice.id] = completions();
    sim.clearRequests();
    await turn(bob, crypto.randomUUID(), 'Hello there', 'auto');
    logged[bob.id] = completions();
  });
  afterAll(async () => {
    await (await import('@/lib/db')).closeDb();
    await sim?.close();
  });

  it('admin aggregates equal the simulator’s own usage: totals, per model and per user, cost included', async () => {
    const { loadUsagePage } = await import('@/lib/admin/usage-page');
    const page = await loadUsagePage(prisma, last24h(), 'CNY');
    const { ratesAt } = await import('@/lib/usage/prices');
    const { computeCost } = await import('@/lib/usage/cost');
    const all = [...logged[alice.id]!, ...logged[bob.id]!];
    expect(all.some((r) => (r.usage!.cached_tokens ?? 0) > 0)).toBe(true);
    expect(all.some((r) => (r.usage!.completion_tokens_details?.reasoning_tokens ?? 0) > 0)).toBe(true);
    expect(new Set(all.map((r) => r.model))).toEqual(new Set(['kimi-k2.6', 'kimi-k3']));
    const sum = (rs: LoggedRequest[], f: (u: NonNullable<LoggedRequest['usage']>) => number) => BigInt(rs.reduce((s, r) => s + f(r.usage!), 0));
    const costOf = async (rs: LoggedRequest[]) => {
      let total = new Prisma.Decimal(0);
      for (const r of rs) {
        const rates = (await ratesAt(prisma, r.model!, 'CNY'))!;
        total = total.plus(
          computeCost(
            { promptTokens: r.usage!.prompt_tokens, cachedTokens: r.usage!.cached_tokens ?? 0, completionTokens: r.usage!.completion_tokens },
            rates,
          ),
        );
      }
      return total;
    };

    const t = page.totals;
    expect(t.requests).toBe(all.length);
    expect(t.promptTokens).toBe(sum(all, (u) => u.prompt_tokens));
    expect(t.cachedTokens).toBe(sum(all, (u) => u.cached_tokens ?? 0));
    expect(t.completionTokens).toBe(sum(all, (u) => u.completion_tokens));
    expect(t.reasoningTokens).toBe(sum(all, (u) => u.completion_tokens_details?.reasoning_tokens ?? 0));
    expect(t.activeUsers).toBe(2);
    expect(t.costs).toHaveLength(1);
    expect(new Prisma.Decimal(t.costs[0]!.cost).equals(await costOf(all))).toBe(true);

    const models = page.models;
    for (const model of new Set(all.map((r) => r.model!))) {
      const rs = all.filter((r) => r.model === model);
      const row = models.find((m) => m.model === model)!;
      expect({ model, requests: row.requests, prompt: row.promptTokens, completion: row.completionTokens }).toEqual({
        model,
        requests: rs.length,
        prompt: sum(rs, (u) => u.prompt_tokens),
        completion: sum(rs, (u) => u.completion_tokens),
      });
      expect(new Prisma.Decimal(row.costs[0]!.cost).equals(await costOf(rs))).toBe(true);
      expect(row.ttftP50).not.toBeNull();
    }

    const people = page.users;
    for (const who of [alice, bob]) {
      const row = people.find((p) => p.userId === who.id)!;
      expect(row.email).toBe(who.email);
      expect(row.requests).toBe(logged[who.id]!.length);
      expect(row.promptTokens).toBe(sum(logged[who.id]!, (u) => u.prompt_tokens));
      expect(new Prisma.Decimal(row.costs[0]!.cost).equals(await costOf(logged[who.id]!))).toBe(true);
    }
  });

  it('exports every ledger row as CSV with the exact header, the DB’s values and safe escaping', async () => {
    const { ledgerWrites } = await import('@/lib/usage/rollups');
    const nasty = '=HYPERLINK("http://x","y"), and\nmore';
    await prisma.$transaction(
      ledgerWrites(prisma, {
        userId: bob.id,
        conversationId: null,
        messageId: null,
        purpose: 'chat',
        requestedModel: '+cmd',
        servedModel: 'kimi-k2.6',
        promptTokens: 1,
        cachedTokens: 0,
        completionTokens: 1,
        reasoningTokens: 0,
        cost: '0.0000120000',
        currency: 'CNY',
        ttftMs: null,
        durationMs: 5,
        outcome: 'error',
        errorType: 'upstream_error',
        requestId: nasty,
      }),
    );
    const res = await exportCsv(req(admin, '/api/admin/usage/export'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="usage-.*\.csv"$/);
    const text = await res.text();
    expect(text.split('\r\n')[0]).toBe(
      'time,user_email,conversation_id,purpose,requested_model,served_model,prompt_tokens,cached_tokens,completion_tokens,reasoning_tokens,cost,currency,ttft_ms,duration_ms,outcome,request_id,web_searches,api_key',
    );
    const [, ...rows] = parseCsv(text);
    const db = await prisma.usage.findMany({ orderBy: { id: 'asc' }, include: { user: true } });
    expect(rows).toHaveLength(db.length);
    rows.forEach((cells, i) => {
      const u = db[i]!;
      expect(cells).toEqual([
        u.createdAt.toISOString(),
        u.user.email,
        u.conversationId ?? '',
        u.purpose,
        u.requestedModel.startsWith('+') ? `'${u.requestedModel}` : u.requestedModel,
        u.servedModel,
        String(u.promptTokens),
        String(u.cachedTokens),
        String(u.completionTokens),
        String(u.reasoningTokens),
        u.cost.toFixed(10),
        u.currency,
        u.ttftMs === null ? '' : String(u.ttftMs),
        String(u.durationMs),
        u.outcome,
        u.requestId === nasty ? `'${nasty}` : (u.requestId ?? ''),
        String(u.webSearches),
        '', // api_key: no row here came through a personal key (tests/integration/gateway.suite.ts has those)
      ]);
    });
    expect(rows.at(-1)![15]).toBe(`'${nasty}`);

    const empty = await exportCsv(req(admin, '/api/admin/usage/export?from=2001-01-01&to=2001-01-31'));
    expect(await empty.text()).toBe(`${text.split('\r\n')[0]}\r\n`);
    expect((await exportCsv(req(admin, '/api/admin/usage/export?from=yesterday'))).status).toBe(400);
  });

  it('a price change applies to new rows only', async () => {
    const before = await prisma.usage.findMany({ orderBy: { id: 'asc' }, select: { id: true, cost: true } });
    const res = await prices(
      req(admin, '/api/admin/prices', { json: { model: 'kimi-k2.6', currency: 'CNY', cacheHit: '0.5', input: '3', output: '7.25' } }),
    );
    expect(res.status).toBe(200);
    expect(
      (await prices(req(admin, '/api/admin/prices', { json: { model: 'kimi-k2.6', currency: 'CNY', cacheHit: '', input: '-1', output: '1' } })))
        .status,
    ).toBe(400);
    sim.clearRequests();
    const id = crypto.randomUUID();
    await turn(alice, id, 'A question at the new price', 'kimi-k2.6');
    const usage = sim.requests().find((r) => r.stream)!.usage!;
    const row = await prisma.usage.findFirstOrThrow({ where: { conversationId: id, purpose: 'chat' } });
    const cached = usage.cached_tokens ?? 0;
    const expected = new Prisma.Decimal(cached)
      .times('0.5')
      .plus(new Prisma.Decimal(usage.prompt_tokens - cached).times(3))
      .plus(new Prisma.Decimal(usage.completion_tokens).times('7.25'))
      .div(1e6);
    expect(row.cost.equals(expected.toDecimalPlaces(10))).toBe(true);
    const after = await prisma.usage.findMany({
      where: { id: { in: before.map((b) => b.id) } },
      orderBy: { id: 'asc' },
      select: { id: true, cost: true },
    });
    expect(after.map((a) => a.cost.toFixed(10))).toEqual(before.map((b) => b.cost.toFixed(10)));
  });

  it('refuses a user over the monthly limit before any upstream call; next month passes', async () => {
    const limit = await userRoute(req(admin, `/api/admin/users/${alice.id}`, { json: { action: 'limits', tokens: 100, cost: null } }), ctx(alice.id));
    expect(limit.status).toBe(200);
    sim.clearRequests();
    const res = await chat(chatRequest(alice, crypto.randomUUID(), 'One more?', 'kimi-k2.6'));
    expect(res.status).toBe(429);
    const now = new Date();
    expect(await res.json()).toEqual({
      error: {
        code: 'user_quota_exceeded',
        params: { resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString() },
        retryable: false,
      },
    });
    expect(sim.requests()).toHaveLength(0);

    // The same usage, a month earlier: this month is fresh.
    const { rebuildRollups } = await import('@/lib/usage/rollups');
    const { forgetQuota } = await import('@/lib/usage/quota');
    await prisma.$executeRaw`UPDATE "Usage" SET "createdAt" = "createdAt" - interval '32 days' WHERE "userId" = ${alice.id}::uuid`;
    await rebuildRollups(prisma);
    forgetQuota(alice.id);
    await turn(alice, crypto.randomUUID(), 'A new month', 'kimi-k2.6');
    expect(sim.requests().filter((r) => r.stream)).toHaveLength(1);
  });

  it('a default limit applies to users without their own; cost limits count too', async () => {
    const { checkQuota } = await import('@/lib/usage/quota');
    expect(
      (await settings(req(admin, '/api/admin/settings', { json: { setting: 'quotaDefault', tokens: null, cost: '0.0000000001' } }))).status,
    ).toBe(200);
    expect((await checkQuota(bob.id))?.code).toBe('user_quota_exceeded');
    expect((await settings(req(admin, '/api/admin/settings', { json: { setting: 'quotaDefault', tokens: '', cost: '' } }))).status).toBe(200);
    expect(await checkQuota(bob.id)).toBeNull();
  });

  it('disables a user: no sign-in, existing session refused; never demotes or disables the last admin', async () => {
    const { verifyCredentials } = await import('@/lib/auth/users');
    expect((await userRoute(req(admin, `/api/admin/users/${bob.id}`, { json: { action: 'disabled', disabled: true } }), ctx(bob.id))).status).toBe(
      200,
    );
    expect(await verifyCredentials(bob.email, 'correct horse battery')).toEqual({ ok: false, reason: 'account_disabled' });
    expect((await chat(chatRequest(bob, crypto.randomUUID(), 'hi', 'kimi-k2.6'))).status).toBe(401);
    // Enabled again, the old token stays dead: the session version moved on.
    await userRoute(req(admin, `/api/admin/users/${bob.id}`, { json: { action: 'disabled', disabled: false } }), ctx(bob.id));
    expect((await chat(chatRequest(bob, crypto.randomUUID(), 'hi', 'kimi-k2.6'))).status).toBe(401);

    const demoteSelf = await userRoute(req(admin, `/api/admin/users/${admin.id}`, { json: { action: 'role', role: 'user' } }), ctx(admin.id));
    expect(demoteSelf.status).toBe(409);
    expect(
      (await userRoute(req(admin, `/api/admin/users/${admin.id}`, { json: { action: 'disabled', disabled: true } }), ctx(admin.id))).status,
    ).toBe(409);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe('admin');
    // With a second admin, the first may step down.
    expect((await userRoute(req(admin, `/api/admin/users/${alice.id}`, { json: { action: 'role', role: 'admin' } }), ctx(alice.id))).status).toBe(
      200,
    );
    expect((await userRoute(req(admin, `/api/admin/users/${admin.id}`, { json: { action: 'role', role: 'user' } }), ctx(admin.id))).status).toBe(200);
    const aliceAdmin = { ...alice, cookie: await cookieFor(alice.id, alice.email, 'admin', 0) };
    expect(
      (await userRoute(req(aliceAdmin, `/api/admin/users/${admin.id}`, { json: { action: 'role', role: 'admin' } }), ctx(admin.id))).status,
    ).toBe(200);
    expect((await userRoute(req(admin, `/api/admin/users/${alice.id}`, { json: { action: 'role', role: 'user' } }), ctx(alice.id))).status).toBe(200);
  });

  it('answers form posts with a redirect back to the admin page', async () => {
    const form = new Request(`${ORIGIN}/api/admin/settings`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ setting: 'lowBalance', threshold: '25', back: '/admin/usage?range=7d' }),
    });
    const res = await settings(form);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/usage?range=7d');
    const { readLowBalanceThreshold } = await import('@/lib/admin/settings');
    expect(await readLowBalanceThreshold(prisma)).toBe(25);
    const bad = await settings(
      new Request(`${ORIGIN}/api/admin/settings`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ setting: 'lowBalance', threshold: '-3', back: 'https://evil.example/' }),
      }),
    );
    expect(bad.headers.get('location')).toBe('/admin?error=invalid');
  });

  it('refuses every admin endpoint to normal users (403) and to signed-out requests (401), changing nothing', async () => {
    const calls: Array<[string, (who: Who | null) => Promise<Response>]> = [
      ['export', (who) => exportCsv(req(who, '/api/admin/usage/export'))],
      [
        'prices',
        (who) => prices(req(who, '/api/admin/prices', { json: { model: 'kimi-k2.6', currency: 'CNY', cacheHit: '0', input: '0', output: '0' } })),
      ],
      ['user role', (who) => userRoute(req(who, `/api/admin/users/${alice.id}`, { json: { action: 'role', role: 'admin' } }), ctx(alice.id))],
      [
        'user disabled',
        (who) => userRoute(req(who, `/api/admin/users/${admin.id}`, { json: { action: 'disabled', disabled: true } }), ctx(admin.id)),
      ],
      [
        'user limits',
        (who) => userRoute(req(who, `/api/admin/users/${alice.id}`, { json: { action: 'limits', tokens: null, cost: null } }), ctx(alice.id)),
      ],
      ['settings', (who) => settings(req(who, '/api/admin/settings', { json: { setting: 'lowBalance', threshold: 1 } }))],
    ];
    const snapshot = async () =>
      JSON.stringify([
        await prisma.price.count(),
        await prisma.user.findMany({ orderBy: { email: 'asc' } }),
        await prisma.setting.findMany({ orderBy: { key: 'asc' } }),
      ]);
    const before = await snapshot();
    const carol = await signedIn('carol@example.com');
    for (const [name, call] of calls) {
      const asUser = await call(carol);
      expect({ name, status: asUser.status }).toEqual({ name, status: 403 });
      expect((await asUser.json()).error.code).toBe('forbidden');
      const signedOut = await call(null);
      expect({ name, status: signedOut.status }).toEqual({ name, status: 401 });
    }
    const after = JSON.parse(await snapshot()) as unknown[];
    const carolless = JSON.parse(before) as unknown[];
    expect(after[0]).toBe(carolless[0]);
    expect(after[2]).toEqual(carolless[2]);
    expect((after[1] as Array<{ email: string }>).filter((u) => u.email !== carol.email)).toEqual(carolless[1]);
  });
});

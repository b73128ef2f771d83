// The daily rollup and the admin aggregates against the ledger itself, on PGlite and PostgreSQL: rows
// written through ledgerWrites (spread over days, with edges inside days) must add up exactly, whichever
// mix of rollup days and raw edge rows a period reads; a rebuild gives the same rollup; quotas read it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadUsagePage } from '@/lib/admin/usage-page';
import { userConversations } from '@/lib/usage/aggregates';
import { writeDefaultLimits } from '@/lib/usage/limits';
import { type Period, parsePeriod } from '@/lib/usage/period';
import { monthUsage, overLimit } from '@/lib/usage/quota';
import { ledgerWrites, rebuildRollups } from '@/lib/usage/rollups';
import { seedUsage } from '@/lib/usage/seed';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '@/tests/support/db';

const HOUR = 3_600_000;

describeEachDatabase('usage rollups and aggregates', (kind) => {
  let database: TestDatabase;
  const now = new Date();
  const users: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const { prisma } = database;
    for (const email of ['r1@example.com', 'r2@example.com']) {
      users.push((await prisma.user.create({ data: { email, passwordHash: 'x' } })).id);
    }
    const convo = await prisma.conversation.create({ data: { id: crypto.randomUUID(), userId: users[0]!, model: 'auto', title: 'Primes' } });
    // 60 rows, one every 2.5 h back from now: they cover ~6 days, with partial days at both ends.
    for (let i = 0; i < 60; i++) {
      const row = {
        createdAt: new Date(now.getTime() - i * 2.5 * HOUR - 1000),
        userId: users[i % 2]!,
        conversationId: i % 2 === 0 ? convo.id : null,
        purpose: i % 5 === 0 ? 'title' : 'chat',
        requestedModel: 'auto',
        servedModel: i % 3 === 0 ? 'kimi-k3' : 'kimi-k2.6',
        promptTokens: 1000 + i,
        cachedTokens: i % 4 === 0 ? 512 : 0,
        completionTokens: 200 + i,
        reasoningTokens: i % 3 === 0 ? 50 : 0,
        cost: `0.00${String(1000 + i * 7)}`,
        currency: i === 7 ? 'USD' : 'CNY',
        ttftMs: i % 6 === 0 ? null : 40 + i * 90,
        durationMs: 2000,
        outcome: i % 6 === 0 ? 'error' : 'ok',
      };
      await prisma.$transaction(ledgerWrites(prisma, row));
    }
  });
  afterAll(() => database?.cleanup());

  async function rawSums(from: Date, to: Date) {
    const [row] = await database.prisma.$queryRaw<Array<Record<string, string | null>>>`
      SELECT count(*)::text AS requests, sum("promptTokens")::text AS prompt, sum("cachedTokens")::text AS cached,
        sum("completionTokens")::text AS completion, sum("reasoningTokens")::text AS reasoning,
        (sum(cost) FILTER (WHERE currency = 'CNY'))::text AS cny, count(DISTINCT "userId")::text AS users,
        count(*) FILTER (WHERE outcome = 'error')::text AS errors
      FROM "Usage" WHERE "createdAt" >= ${from} AND "createdAt" < ${to}`;
    return row!;
  }

  const periods = (): Array<[string, Period]> => [
    ['24h', { range: '24h', from: new Date(now.getTime() - 24 * HOUR), to: now }],
    ['7d', { range: '7d', from: new Date(now.getTime() - 7 * 24 * HOUR), to: now }],
    ['30d (UTC days)', parsePeriod({ range: '30d' }, now)],
    ['past edges', { range: 'custom', from: new Date(now.getTime() - 100 * HOUR), to: new Date(now.getTime() - 30 * HOUR) }],
    ['inside one day', { range: 'custom', from: new Date(now.getTime() - 50 * HOUR), to: new Date(now.getTime() - 45 * HOUR) }],
  ];

  it('totals, per model and per user equal the ledger rows for periods of whole and partial days', async () => {
    const { prisma } = database;
    for (const [name, period] of periods()) {
      const raw = await rawSums(period.from, period.to);
      const page = await loadUsagePage(prisma, period, 'CNY');
      const t = page.totals;
      expect({
        name,
        r: String(t.requests),
        p: String(t.promptTokens),
        c: String(t.cachedTokens),
        o: String(t.completionTokens),
        x: String(t.reasoningTokens),
        u: String(t.activeUsers),
        e: String(t.errors),
      }).toEqual({
        name,
        r: raw.requests,
        p: raw.prompt ?? '0',
        c: raw.cached ?? '0',
        o: raw.completion ?? '0',
        x: raw.reasoning ?? '0',
        u: raw.users,
        e: raw.errors,
      });
      const cny = t.costs.find((c) => c.currency === 'CNY')?.cost;
      expect(Number(cny ?? 0)).toBe(Number(raw.cny ?? 0));
      expect(cny === undefined ? null : cny.replace(/0+$/, '')).toBe(raw.cny == null ? null : raw.cny.replace(/0+$/, ''));

      const models = page.models;
      expect(models.reduce((s, m) => s + m.requests, 0)).toBe(t.requests);
      expect(models.reduce((s, m) => s + m.promptTokens, 0n)).toBe(t.promptTokens);
      const people = page.users;
      expect(people.reduce((s, m) => s + m.completionTokens, 0n)).toBe(t.completionTokens);
      const days = page.days;
      expect(days.reduce((s, d) => s + Number(d.cost), 0)).toBeCloseTo(Number(cny ?? 0), 9);
      expect(days.reduce((s, d) => s + d.tokens, 0n)).toBe(t.promptTokens + t.completionTokens);
    }
  });

  it('computes TTFT percentiles from the histogram and lists one user’s conversations', async () => {
    const period: Period = { range: '7d', from: new Date(now.getTime() - 7 * 24 * HOUR), to: now };
    const k3 = (await loadUsagePage(database.prisma, period, 'CNY')).models.find((m) => m.model === 'kimi-k3')!;
    // kimi-k3 rows: i % 3 === 0; TTFT 40 + 90i for i not a multiple of 6 → i = 3, 9, 15, … (310, 850, 1390 … ms).
    expect(k3.ttftP50).not.toBeNull();
    expect(k3.ttftP95!).toBeGreaterThanOrEqual(k3.ttftP50!);
    const convos = await userConversations(database.prisma, users[0]!, period);
    expect(convos.find((c) => c.title === 'Primes')?.requests).toBe(30);
  });

  it('rebuilding the rollup from the ledger gives the rows the transactions wrote', async () => {
    const { prisma } = database;
    const snapshot = async () => [
      await prisma.$queryRaw<
        unknown[]
      >`SELECT day::text, "userId"::text, currency, requests, errors, "promptTokens"::text, "cachedTokens"::text, "completionTokens"::text, "reasoningTokens"::text, cost::text FROM "UsageDaily" ORDER BY 1, 2, 3`,
      await prisma.$queryRaw<
        unknown[]
      >`SELECT day::text, "servedModel", purpose, currency, requests, errors, "promptTokens"::text, "cachedTokens"::text, "completionTokens"::text, "reasoningTokens"::text, cost::text, "ttftBuckets" FROM "UsageDailyModel" ORDER BY 1, 2, 3, 4`,
    ];
    const before = await snapshot();
    expect(before[0]!.length).toBeGreaterThan(5);
    expect(before[1]!.length).toBeGreaterThan(5);
    await rebuildRollups(prisma);
    expect(await snapshot()).toEqual(before);
  });

  it('reads this month’s usage and limits: user override over default, tokens and cost', async () => {
    const { prisma } = database;
    const month = await monthUsage(prisma, users[0]!, now);
    expect(month!.limits).toEqual({ tokens: null, cost: null });
    expect(overLimit(month!)).toBe(false);
    const [raw] = await prisma.$queryRaw<
      Array<{ t: string }>
    >`SELECT (sum("promptTokens") + sum("completionTokens"))::text AS t FROM "Usage" WHERE "userId" = ${users[0]}::uuid AND "createdAt" >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
    expect(String(month!.tokens)).toBe(raw!.t ?? '0');

    await writeDefaultLimits(prisma, { tokens: Number(month!.tokens) + 1, cost: null });
    expect(overLimit((await monthUsage(prisma, users[0]!, now))!)).toBe(false);
    await prisma.user.update({ where: { id: users[0] }, data: { monthlyTokenLimit: Number(month!.tokens) } });
    expect(overLimit((await monthUsage(prisma, users[0]!, now))!)).toBe(month!.tokens > 0n);
    await prisma.user.update({ where: { id: users[0] }, data: { monthlyTokenLimit: null, monthlyCostLimit: '0.0000000001' } });
    const byCost = (await monthUsage(prisma, users[0]!, now))!;
    expect(byCost.limits).toEqual({ tokens: Number(month!.tokens) + 1, cost: '0.0000000001' });
    expect(overLimit(byCost)).toBe(Number(byCost.cost) > 0);
  });

  it('seeds priced synthetic rows with generate_series and rollups that match them', async () => {
    const { prisma } = database;
    const before = await prisma.usage.count();
    await seedUsage(prisma, { users: 3, rows: 2_000, days: 10, currency: 'CNY', batch: 700 });
    expect(await prisma.usage.count()).toBe(before + 2_000);
    expect(await prisma.user.count({ where: { email: { startsWith: 'seed-' } } })).toBe(3);
    expect(await prisma.usage.count({ where: { requestId: { startsWith: 'seed-' }, cost: { lte: 0 } } })).toBe(0);
    const period: Period = { range: 'custom', from: new Date(now.getTime() - 11 * 24 * HOUR), to: new Date(Date.now() + 1000) };
    const raw = await rawSums(period.from, period.to);
    const t = (await loadUsagePage(prisma, period, 'CNY')).totals;
    expect([String(t.requests), String(t.promptTokens), String(t.completionTokens), String(t.activeUsers)]).toEqual([
      raw.requests,
      raw.prompt,
      raw.completion,
      raw.users,
    ]);
  });
});

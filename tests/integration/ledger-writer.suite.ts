// The ledger's group commit (lib/usage/ledger-writer.ts) on a real database: rows handed to recordUsage at
// about the same time share a transaction, yet every call gets exactly its own row, the rollups it keeps
// equal what rebuildRollups computes from the ledger, one bad row fails only its own caller, and the quota
// cache grows by each row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '@/lib/db/generated/client';
import { sumCosts } from '@/lib/usage/cost';
import { type ChatHarness, openChatHarness } from '@/tests/support/chat-harness';

type Row = Prisma.UsageUncheckedCreateInput;
const DAY = 86_400_000;

/** Varied rows: two purposes and models, two currencies, errors, every TTFT bucket and none, past days, costs in several forms. */
function usageRow(userId: string, tag: string, i: number): Row {
  const costs = ['0.0012345678', '1.5', '0.00000000005', '0', '12.3456789012345', 0.25];
  return {
    userId,
    purpose: i % 3 === 0 ? 'api' : 'chat',
    requestedModel: 'auto',
    servedModel: i % 2 === 0 ? 'kimi-k3' : 'kimi-k2.6',
    promptTokens: 1000 + i,
    cachedTokens: i % 4 === 0 ? 512 : 0,
    completionTokens: 200 + i,
    reasoningTokens: i % 3 === 0 ? 50 : 0,
    cost: costs[i % costs.length]!,
    currency: i % 7 === 0 ? 'USD' : 'CNY',
    ttftMs: i % 6 === 0 ? null : (i * 97) % 40_000,
    durationMs: 100 + i,
    outcome: i % 5 === 0 ? 'error' : 'ok',
    requestId: `${tag}-${i}`,
    // A few rows from earlier days (a call that ran across midnight, a backfill).
    ...(i % 11 === 0 ? { createdAt: new Date(Date.now() - (i % 3) * DAY) } : {}),
  };
}

export function ledgerWriterSuite(kind: 'pglite' | 'postgres'): void {
  describe(`ledger group commit on ${kind}`, () => {
    let h: ChatHarness;
    let users: string[];

    beforeAll(async () => {
      h = await openChatHarness(kind);
      users = [];
      for (const name of ['a', 'b', 'c']) users.push((await h.signedIn(`ledger-${name}@example.com`)).id);
    }, 120_000);
    afterAll(() => h?.close());

    const rollups = async () => [
      await h.prisma.$queryRaw<unknown[]>`SELECT day::text, "userId"::text, currency, requests, errors, "promptTokens"::text,
        "cachedTokens"::text, "completionTokens"::text, "reasoningTokens"::text, cost::text FROM "UsageDaily" ORDER BY 1, 2, 3`,
      await h.prisma.$queryRaw<unknown[]>`SELECT day::text, "servedModel", purpose, currency, requests, errors, "promptTokens"::text,
        "cachedTokens"::text, "completionTokens"::text, "reasoningTokens"::text, cost::text, "ttftBuckets" FROM "UsageDailyModel"
        ORDER BY 1, 2, 3, 4`,
    ];

    /** Rollups as written, then as rebuilt from the ledger: they must be the same tables. */
    async function expectRollupsMatchLedger(): Promise<void> {
      const { rebuildRollups } = await import('@/lib/usage/rollups');
      const written = await rollups();
      expect(written[1]!.length).toBeGreaterThan(3);
      await rebuildRollups(h.prisma);
      expect(await rollups()).toEqual(written);
    }

    it('600 concurrent rows: one Usage row each, written in two transactions (batches of 500), rollups equal to a rebuild', async () => {
      const { recordUsage } = await import('@/lib/usage/ledger');
      const { flushLedgerWrites, MAX_BATCH } = await import('@/lib/usage/ledger-writer');
      const rows = Array.from({ length: 600 }, (_, i) => usageRow(users[i % 3]!, 'burst', i));
      const writes = rows.map((row) => recordUsage(row));
      // What shutdown does: every row handed over is in the database once the flush returns.
      await flushLedgerWrites();
      expect(await h.prisma.usage.count({ where: { requestId: { startsWith: 'burst-' } } })).toBe(600);
      await Promise.all(writes);

      const per = await h.prisma.$queryRaw<Array<{ requestId: string; n: number }>>`
        SELECT "requestId", count(*)::int AS n FROM "Usage" WHERE "requestId" LIKE 'burst-%' GROUP BY 1`;
      expect(per.length).toBe(600);
      expect(per.every((r) => r.n === 1)).toBe(true);
      // Rows inserted by one transaction share its id (xmin): the burst went in as ⌈600 / 500⌉ transactions.
      const [tx] = await h.prisma.$queryRaw<Array<{ n: number }>>`
        SELECT count(DISTINCT xmin::text)::int AS n FROM "Usage" WHERE "requestId" LIKE 'burst-%'`;
      expect(tx!.n).toBe(Math.ceil(600 / MAX_BATCH));
      await expectRollupsMatchLedger();
    });

    it('one bad row in a batch (a user that does not exist, a negative cost) rejects only its own caller', async () => {
      const { recordUsage } = await import('@/lib/usage/ledger');
      const rows = Array.from({ length: 30 }, (_, i) => usageRow(users[i % 3]!, 'mixed', i));
      rows[7] = { ...rows[7]!, userId: crypto.randomUUID() };
      rows[19] = { ...rows[19]!, cost: '-1' };
      const results = await Promise.allSettled(rows.map((row) => recordUsage(row)));
      expect(results.map((r, i) => (r.status === 'rejected' ? i : null)).filter((i) => i !== null)).toEqual([7, 19]);
      const written = await h.prisma.usage.findMany({ where: { requestId: { startsWith: 'mixed-' } }, select: { requestId: true } });
      expect(written.map((r) => r.requestId).sort()).toEqual(
        rows
          .filter((_, i) => i !== 7 && i !== 19)
          .map((r) => r.requestId)
          .sort(),
      );
      await expectRollupsMatchLedger();
    });

    it('the quota cache grows by every row as it is committed, not by a new query', async () => {
      const { recordUsage } = await import('@/lib/usage/ledger');
      const { ledgerWrites } = await import('@/lib/usage/rollups');
      const { cachedMonthUsage, monthUsage } = await import('@/lib/usage/quota');
      const user = users[0]!;
      const primed = (await cachedMonthUsage(user))!;
      // Another instance's row: in the database, unknown to this process's cache until its entry expires (5 s).
      await h.prisma.$transaction(ledgerWrites(h.prisma, { ...usageRow(user, 'elsewhere', 1), currency: 'CNY' }));
      const rows = Array.from({ length: 40 }, (_, i) => ({ ...usageRow(user, 'quota', i), currency: 'CNY', createdAt: new Date() }));
      await Promise.all(rows.map((row) => recordUsage(row)));

      const cached = (await cachedMonthUsage(user))!;
      const added = (field: 'promptTokens' | 'completionTokens' | 'cachedTokens') => rows.reduce((s, r) => s + BigInt(r[field]), 0n);
      expect(cached.requests).toBe(primed.requests + 40);
      expect(cached.promptTokens).toBe(primed.promptTokens + added('promptTokens'));
      expect(cached.completionTokens).toBe(primed.completionTokens + added('completionTokens'));
      expect(cached.cachedTokens).toBe(primed.cachedTokens + added('cachedTokens'));
      // The database holds those rows and the other instance's one too.
      const fresh = (await monthUsage(h.prisma, user))!;
      expect(fresh.requests).toBe(cached.requests + 1);
      expect(fresh.promptTokens).toBe(cached.promptTokens + 1001n);
      expect(fresh.cost).toBe(sumCosts([cached.cost, '1.5']));
    });
  });
}

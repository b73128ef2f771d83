import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel, MODELS } from '@/lib/kimi/catalog';
import { computeCost } from '@/lib/usage/cost';
import { invalidatePrices, ratesAt } from '@/lib/usage/prices';
import { createTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('pglite');
});
afterAll(async () => {
  await db?.cleanup();
});

const t1 = new Date('2026-03-01T00:00:00.000Z');
const t2 = new Date('2026-09-01T00:00:00.000Z');

// Seed prices come from the catalog; the tests read them there rather than repeating them.
const K26 = getModel('kimi-k2.6');
const K3 = getModel('kimi-k3');
const seeded = (n: number | null | undefined) => (n == null ? null : String(n));

describe('ratesAt', () => {
  it('picks the row with the latest effectiveFrom at or before the moment', async () => {
    invalidatePrices();
    await db.prisma.price.createMany({
      data: [
        { model: K26.id, currency: 'CNY', inputCacheHit: '0.5', input: '3.5', output: '18', effectiveFrom: t1 },
        { model: K26.id, currency: 'CNY', inputCacheHit: null, input: '4.123456', output: '22', effectiveFrom: t2 },
      ],
    });
    const seed = await ratesAt(db.prisma, K26.id, 'CNY', new Date(t1.getTime() - 1));
    const cny = K26.prices.CNY!;
    // the seeded catalog price (kimi-k2.6: CNY 1.1 / 6.5 / 27)
    expect(seed).toMatchObject({ cacheHit: seeded(cny.cacheHit), input: seeded(cny.input), output: seeded(cny.output), effectiveFrom: new Date(0) });
    expect(await ratesAt(db.prisma, K26.id, 'CNY', t1)).toMatchObject({ cacheHit: '0.5', input: '3.5', output: '18' });
    expect(await ratesAt(db.prisma, K26.id, 'CNY', new Date(t2.getTime() - 1))).toMatchObject({ input: '3.5' });
    const latest = await ratesAt(db.prisma, K26.id, 'CNY', t2);
    expect(latest).toMatchObject({ cacheHit: null, input: '4.123456', output: '22' });
    // Exact through to the cost: no cache discount → cached tokens at 4.123456.
    expect(computeCost({ promptTokens: 1_000_000, cachedTokens: 500_000, completionTokens: 0 }, latest!)).toBe('4.1234560000');
    // The other currency keeps its own seed.
    expect((await ratesAt(db.prisma, K26.id, 'USD', t2))?.input).toBe(seeded(K26.prices.USD!.input));
  });

  it('unpriced models and times before any price → null', async () => {
    // The retired moonshot-v1-auto was billed as the model it routed to: it has no price of its own.
    expect(await ratesAt(db.prisma, 'moonshot-v1-auto', 'CNY')).toBeNull();
    // A catalog model without a price in one currency (today: the retired kimi-latest in USD) has none seeded.
    const unpricedUsd = MODELS.find((m) => !m.routes && m.prices.USD === null && m.prices.CNY !== null);
    expect(unpricedUsd).toBeDefined();
    expect(await ratesAt(db.prisma, unpricedUsd!.id, 'USD')).toBeNull();
    expect(await ratesAt(db.prisma, unpricedUsd!.id, 'CNY')).not.toBeNull();
    await db.prisma.price.create({ data: { model: 'kimi-k9', currency: 'CNY', input: '1', output: '2', effectiveFrom: t2 } });
    expect(await ratesAt(db.prisma, 'kimi-k9', 'CNY', t1)).toBeNull();
  });

  it('serves from its cache until invalidated', async () => {
    invalidatePrices();
    const before = await ratesAt(db.prisma, K3.id, 'CNY');
    expect(before?.input).toBe(seeded(K3.prices.CNY!.input));
    await db.prisma.price.create({
      data: { model: K3.id, currency: 'CNY', input: '21.5', output: '101', effectiveFrom: new Date(Date.now() - 1000) },
    });
    expect((await ratesAt(db.prisma, K3.id, 'CNY'))?.input).toBe(seeded(K3.prices.CNY!.input));
    invalidatePrices();
    expect((await ratesAt(db.prisma, K3.id, 'CNY'))?.input).toBe('21.5');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('ratesAt', () => {
  it('picks the row with the latest effectiveFrom at or before the moment', async () => {
    invalidatePrices();
    await db.prisma.price.createMany({
      data: [
        { model: 'kimi-k2.5', currency: 'CNY', inputCacheHit: '0.5', input: '3.5', output: '18', effectiveFrom: t1 },
        { model: 'kimi-k2.5', currency: 'CNY', inputCacheHit: null, input: '4.123456', output: '22', effectiveFrom: t2 },
      ],
    });
    const seed = await ratesAt(db.prisma, 'kimi-k2.5', 'CNY', new Date(t1.getTime() - 1));
    expect(seed).toMatchObject({ cacheHit: '0.7', input: '4', output: '21', effectiveFrom: new Date(0) }); // the seeded catalog price
    expect(await ratesAt(db.prisma, 'kimi-k2.5', 'CNY', t1)).toMatchObject({ cacheHit: '0.5', input: '3.5', output: '18' });
    expect(await ratesAt(db.prisma, 'kimi-k2.5', 'CNY', new Date(t2.getTime() - 1))).toMatchObject({ input: '3.5' });
    const latest = await ratesAt(db.prisma, 'kimi-k2.5', 'CNY', t2);
    expect(latest).toMatchObject({ cacheHit: null, input: '4.123456', output: '22' });
    // Exact through to the cost: no cache discount → cached tokens at 4.123456.
    expect(computeCost({ promptTokens: 1_000_000, cachedTokens: 500_000, completionTokens: 0 }, latest!)).toBe('4.1234560000');
    expect((await ratesAt(db.prisma, 'kimi-k2.5', 'USD', t2))?.input).toBe('0.6');
  });

  it('unpriced models and times before any price → null', async () => {
    expect(await ratesAt(db.prisma, 'moonshot-v1-auto', 'CNY')).toBeNull();
    expect(await ratesAt(db.prisma, 'kimi-k2.6', 'USD')).toBeNull();
    await db.prisma.price.create({ data: { model: 'kimi-k9', currency: 'CNY', input: '1', output: '2', effectiveFrom: t2 } });
    expect(await ratesAt(db.prisma, 'kimi-k9', 'CNY', t1)).toBeNull();
  });

  it('serves from its cache until invalidated', async () => {
    invalidatePrices();
    const before = await ratesAt(db.prisma, 'moonshot-v1-8k', 'CNY');
    expect(before?.input).toBe('2');
    await db.prisma.price.create({ data: { model: 'moonshot-v1-8k', currency: 'CNY', input: '2.5', output: '11', effectiveFrom: new Date(Date.now() - 1000) } });
    expect((await ratesAt(db.prisma, 'moonshot-v1-8k', 'CNY'))?.input).toBe('2');
    invalidatePrices();
    expect((await ratesAt(db.prisma, 'moonshot-v1-8k', 'CNY'))?.input).toBe('2.5');
  });
});

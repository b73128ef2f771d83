// Next.js loads a server module once per bundle, so one process holds several copies of it. Caches that an
// admin's change must invalidate (prices, the extractor setting) are process singletons: a change made
// through one copy is seen by the others at once. vi.resetModules() gives a second copy, as a bundle would.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChatHarness, openChatHarness } from '@/tests/support/chat-harness';

let h: ChatHarness;
beforeAll(async () => {
  h = await openChatHarness('pglite');
});
afterAll(() => h?.close());

async function twoCopies<T>(path: string): Promise<[T, T]> {
  const first = (await import(/* @vite-ignore */ path)) as T;
  vi.resetModules();
  const second = (await import(/* @vite-ignore */ path)) as T;
  expect(second).not.toBe(first);
  return [first, second];
}

describe('process singletons across module copies', () => {
  it('a price change invalidated in one copy is read by another at once', async () => {
    type Prices = typeof import('@/lib/usage/prices');
    const [a, b] = await twoCopies<Prices>('@/lib/usage/prices');
    const before = await a.ratesAt(h.prisma, 'kimi-k2.6', 'CNY');
    expect(before?.input).toBe('6.5');
    await h.prisma.price.create({
      data: { model: 'kimi-k2.6', currency: 'CNY', input: '7', output: '28', effectiveFrom: new Date(Date.now() - 1000) },
    });
    b.invalidatePrices();
    expect((await a.ratesAt(h.prisma, 'kimi-k2.6', 'CNY'))?.input).toBe('7');
  });

  it('the extractor chosen through one copy is used by another at once', async () => {
    type Extractor = typeof import('@/lib/documents/extractor-setting');
    const [a, b] = await twoCopies<Extractor>('@/lib/documents/extractor-setting');
    expect(await a.getExtractor()).toBe('local');
    await b.setExtractor('kimi');
    expect(await a.getExtractor()).toBe('kimi');
    await b.setExtractor('local');
  });
});

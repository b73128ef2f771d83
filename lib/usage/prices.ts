// The per-million rates in force at a moment: the Price row with the latest effectiveFrom ≤ that moment.

import type { PrismaClient } from '@/lib/db';
import type { Currency } from '@/lib/kimi/catalog';
import { processSingleton } from '@/lib/singleton';
import type { CostRates } from './cost';

export interface EffectiveRates extends CostRates {
  cacheHit: string | null;
  input: string;
  output: string;
  priceId: number;
  effectiveFrom: Date;
}

type PriceReader = Pick<PrismaClient, 'price'>;

/** Price rows change rarely (an admin edit); other processes see an edit within this time. */
const TTL_MS = 60_000;

// Per client (tests open several databases), per model+currency: every row, newest first. One per process,
// so an admin's edit (invalidatePrices in the admin route's copy) reaches the chat route's copy.
const state = processSingleton('usage.priceCache', () => ({
  cache: new WeakMap<PriceReader, Map<string, { at: number; rows: Promise<EffectiveRates[]> }>>(),
}));

/** Call after writing Price rows. */
export function invalidatePrices(): void {
  state.cache = new WeakMap();
}

/**
 * Rates for `model` (the served model: for moonshot-v1-auto, the one it routed to, which is what Kimi
 * bills) at `at`, or null when no price was in force then.
 */
export async function ratesAt(prisma: PriceReader, model: string, currency: Currency, at: Date = new Date()): Promise<EffectiveRates | null> {
  const rows = await history(prisma, model, currency);
  return rows.find((r) => r.effectiveFrom.getTime() <= at.getTime()) ?? null;
}

function history(prisma: PriceReader, model: string, currency: Currency): Promise<EffectiveRates[]> {
  let perClient = state.cache.get(prisma);
  if (!perClient) state.cache.set(prisma, (perClient = new Map()));
  const key = `${model}\u0000${currency}`;
  const hit = perClient.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.rows;

  const rows = prisma.price.findMany({ where: { model, currency }, orderBy: [{ effectiveFrom: 'desc' }, { id: 'desc' }] }).then((found) =>
    found.map((p) => ({
      priceId: p.id,
      effectiveFrom: p.effectiveFrom,
      // toFixed(): plain digits, never exponent notation.
      cacheHit: p.inputCacheHit === null ? null : p.inputCacheHit.toFixed(),
      input: p.input.toFixed(),
      output: p.output.toFixed(),
    })),
  );
  const entry = { at: Date.now(), rows };
  perClient.set(key, entry);
  // A failed read is not remembered.
  rows.catch(() => {
    if (perClient.get(key) === entry) perClient.delete(key);
  });
  return rows;
}

// Rows the app needs from its first start. Seeding only fills gaps: it never overwrites an admin's edits.
import { type Currency, MODELS } from '@/lib/kimi/catalog';
import { WEB_SEARCH_FEES, WEB_SEARCH_PRICE_MODEL } from '@/lib/kimi/web-search';
import type { PrismaClient } from './generated/client';

/** Seed prices apply to all time, so a usage row can never predate its model's first price. */
export const SEED_EFFECTIVE_FROM = new Date(0);

/** Serialises seeding across processes sharing one PostgreSQL server. */
const SEED_LOCK_KEY = 4_657_201;

/** Inserts the catalog's price for each (model, currency) that has no Price row at all. Returns how many. */
export async function seedPrices(prisma: PrismaClient): Promise<number> {
  const wanted = MODELS.flatMap((model) =>
    (Object.entries(model.prices) as [Currency, (typeof model.prices)[Currency]][]).flatMap(([currency, rates]) =>
      rates
        ? [{ model: model.id, currency, inputCacheHit: rates.cacheHit, input: rates.input, output: rates.output, effectiveFrom: SEED_EFFECTIVE_FROM }]
        : [],
    ),
  );
  // The fee per `$web_search` call is a price row too (its `input` is the fee per search), editable on /admin/prices.
  for (const [currency, fee] of Object.entries(WEB_SEARCH_FEES)) {
    wanted.push({
      model: WEB_SEARCH_PRICE_MODEL,
      currency: currency as Currency,
      inputCacheHit: null,
      input: Number(fee),
      output: 0,
      effectiveFrom: SEED_EFFECTIVE_FROM,
    });
  }
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
    const existing = await tx.price.findMany({ distinct: ['model', 'currency'], select: { model: true, currency: true } });
    const have = new Set(existing.map((p) => `${p.model}\u0000${p.currency}`));
    const missing = wanted.filter((p) => !have.has(`${p.model}\u0000${p.currency}`));
    if (missing.length > 0) await tx.price.createMany({ data: missing });
    return missing.length;
  });
}

/** Everything seeded at start; safe to call on every start. */
export async function ensureDefaultsSeeded(prisma: PrismaClient): Promise<{ pricesInserted: number }> {
  return { pricesInserted: await seedPrices(prisma) };
}

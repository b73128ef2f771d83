// Price administration: the rates in force per model and currency, their history, and edits. An edit adds
// a row effective from now, so the cost of every row already written stays what it was.
import { z } from 'zod';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import type { PrismaClient } from '@/lib/db/generated/client';
import { decimalText } from '@/lib/usage/limits';
import { invalidatePrices } from '@/lib/usage/prices';

export interface PriceRow {
  id: number;
  model: string;
  currency: string;
  cacheHit: string | null;
  input: string;
  output: string;
  effectiveFrom: Date;
}

const rate = decimalText.refine((s) => Number(s) <= 1_000_000, 'at most 1,000,000');
export const priceEditSchema = z.object({
  model: z.string().trim().min(1).max(100),
  currency: z.enum(['CNY', 'USD']),
  /** Empty: no cache discount (cached tokens bill as input). */
  cacheHit: z.union([z.literal('').transform(() => null), z.null(), rate]),
  input: rate,
  output: rate,
});
export type PriceEdit = z.infer<typeof priceEditSchema>;

function toRow(p: {
  id: number;
  model: string;
  currency: string;
  inputCacheHit: { toFixed(): string } | null;
  input: { toFixed(): string };
  output: { toFixed(): string };
  effectiveFrom: Date;
}): PriceRow {
  return {
    id: p.id,
    model: p.model,
    currency: p.currency,
    cacheHit: p.inputCacheHit?.toFixed() ?? null,
    input: p.input.toFixed(),
    output: p.output.toFixed(),
    effectiveFrom: p.effectiveFrom,
  };
}

/** Every price row, newest first per model and currency (a few hundred rows at most). */
export async function priceHistory(prisma: PrismaClient): Promise<PriceRow[]> {
  const rows = await prisma.price.findMany({ orderBy: [{ model: 'asc' }, { currency: 'asc' }, { effectiveFrom: 'desc' }, { id: 'desc' }] });
  return rows.map(toRow);
}

/** The row in force now per model and currency (a future-dated row is not yet in force). */
export function currentPrices(history: readonly PriceRow[], now: Date = new Date()): PriceRow[] {
  const seen = new Set<string>();
  return history.filter((p) => {
    const key = `${p.model}\u0000${p.currency}`;
    if (p.effectiveFrom > now || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Adds the new rates (effective now) and their audit row, in one transaction. */
export async function setPrice(prisma: PrismaClient, edit: PriceEdit, actor: AuditActor): Promise<PriceRow> {
  const now = new Date();
  const row = await prisma.$transaction(async (tx) => {
    const previous = await tx.price.findFirst({
      where: { model: edit.model, currency: edit.currency, effectiveFrom: { lte: now } },
      orderBy: [{ effectiveFrom: 'desc' }, { id: 'desc' }],
    });
    const created = await tx.price.create({
      data: {
        model: edit.model,
        currency: edit.currency,
        inputCacheHit: edit.cacheHit,
        input: edit.input,
        output: edit.output,
        effectiveFrom: now,
        createdById: actor.id,
      },
    });
    const rates = (p: typeof created) => {
      const { cacheHit, input, output } = toRow(p);
      return { cacheHit, input, output };
    };
    await writeAudit(tx, actor, {
      kind: 'price.set',
      target: `price:${edit.model}/${edit.currency}`,
      targetLabel: `${edit.model} (${edit.currency})`,
      before: previous ? rates(previous) : null,
      after: rates(created),
    });
    return created;
  });
  invalidatePrices();
  return toRow(row);
}

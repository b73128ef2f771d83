// An answer's details as shown under it: its ledger rows (one per upstream call: the answer, then each
// Continue) added up, so the thread shows the same numbers the ledger and the admin pages count.
import 'server-only';
import type { MessageDetails } from '@/lib/contracts';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/db/generated/client';

/** One ledger row as far as the details need it (from the database, or a row just written). */
export interface DetailRow {
  messageId: string | null;
  requestedModel: string;
  servedModel: string;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  cost: Prisma.Decimal | string;
  currency: string;
  ttftMs: number | null;
  durationMs: number;
  estimated: boolean;
  webSearches: number;
}

/** Details per message id, for the ids that have chat ledger rows. */
export async function messageDetails(messageIds: readonly string[]): Promise<Map<string, MessageDetails>> {
  if (messageIds.length === 0) return new Map();
  const prisma = await db();
  const rows = await prisma.usage.findMany({
    where: { messageId: { in: [...messageIds] }, purpose: 'chat' },
    orderBy: { id: 'asc' },
    select: {
      messageId: true,
      requestedModel: true,
      servedModel: true,
      promptTokens: true,
      cachedTokens: true,
      completionTokens: true,
      reasoningTokens: true,
      cost: true,
      currency: true,
      ttftMs: true,
      durationMs: true,
      estimated: true,
      webSearches: true,
    },
  });
  return detailsOf(rows);
}

/** Adds up chat ledger rows, in the order written, per message. */
export function detailsOf(rows: readonly DetailRow[]): Map<string, MessageDetails> {
  const details = new Map<string, MessageDetails>();
  for (const row of rows) {
    if (!row.messageId) continue;
    const seen = details.get(row.messageId);
    if (!seen) {
      details.set(row.messageId, {
        model: row.servedModel,
        requestedModel: row.requestedModel,
        promptTokens: row.promptTokens,
        cachedTokens: row.cachedTokens,
        completionTokens: row.completionTokens,
        reasoningTokens: row.reasoningTokens,
        cost: new Prisma.Decimal(row.cost).toString(),
        currency: row.currency === 'USD' ? 'USD' : 'CNY',
        ttftMs: row.ttftMs,
        durationMs: row.durationMs,
        calls: 1,
        estimated: row.estimated,
        webSearches: row.webSearches,
      });
      continue;
    }
    seen.model = row.servedModel;
    seen.promptTokens += row.promptTokens;
    seen.cachedTokens += row.cachedTokens;
    seen.completionTokens += row.completionTokens;
    seen.reasoningTokens += row.reasoningTokens;
    seen.cost = new Prisma.Decimal(seen.cost).plus(row.cost).toString();
    seen.durationMs += row.durationMs;
    seen.calls += 1;
    seen.estimated ||= row.estimated;
    seen.webSearches += row.webSearches;
  }
  return details;
}

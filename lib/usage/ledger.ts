// The usage ledger: one row per upstream call, written when the call ends, with the token counts
// exactly as Kimi reported them (or a flagged estimate) and the cost from the price table in force.
import 'server-only';
import { APICallError, type LanguageModelUsage } from 'ai';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/db/generated/client';
import { prepared } from '@/lib/db/statement-names';
import type { CountableMessage } from '@/lib/kimi/tokenizer';
import { usageFromResult } from '@/lib/kimi/usage';
import { WEB_SEARCH_PRICE_MODEL } from '@/lib/kimi/web-search';
import { computeCost, feeCost, sumCosts } from './cost';
import { processLedgerWriter } from './ledger-writer';
import { ratesAt } from './prices';
import { usageWritten } from './quota';
import { ledgerCtes } from './rollups';

/**
 * Writes one ledger row on its own (with its rollups) and tells the quota cache. Rows written this way at
 * about the same time share one transaction (./ledger-writer.ts); this resolves when this one is committed.
 */
export function recordUsage(row: Prisma.UsageUncheckedCreateInput): Promise<void> {
  return processLedgerWriter(usageWritten).write(row);
}

/**
 * Commits the caller's writes and the call's ledger rows (with their rollups, summed per day) as one
 * statement, then tells the quota cache: what a call produced and what it cost are recorded together or not
 * at all. `ctes` (`name AS (…)`) are the caller's data-modifying steps, the ledger's writes more of them,
 * then `last`. A single statement is atomic on its own — one round trip, no BEGIN and COMMIT (which the
 * embedded database runs one by one on the server's thread), and no lock held across round trips.
 */
export async function commitStatementWithUsage(
  ctes: readonly Prisma.Sql[],
  last: Prisma.Sql,
  rows: readonly Prisma.UsageUncheckedCreateInput[],
): Promise<number> {
  const prisma = await db();
  const all = [...ctes, ...ledgerCtes(rows)];
  const changed = await prisma.$executeRaw(prepared`${all.length > 0 ? Prisma.sql`WITH ${Prisma.join(all)} ` : Prisma.empty}${last}`);
  for (const r of rows) usageWritten(r);
  return changed;
}

/** `api`: a call made through the /api/v1 gateway with a personal key (`apiKeyId`). */
export type UsagePurpose = 'chat' | 'title' | 'extraction' | 'api';

/** What we learn about one upstream call while it runs. */
export interface UpstreamCall {
  /** performance.now() when our server received the request. */
  startedAt: number;
  ttftMs: number | null;
  requestId: string | null;
  usage: LanguageModelUsage | undefined;
  error: unknown;
  /** performance.now() when the call ended, when known before the row is built (a search round's earlier calls). */
  endedAt?: number;
}

export interface UsageRowInput {
  userId: string;
  conversationId: string | null;
  messageId: string | null;
  purpose: UsagePurpose;
  requestedModel: string;
  servedModel: string;
  prompt: readonly CountableMessage[];
  text: string;
  reasoning: string;
  call: UpstreamCall;
  /** `length` / `content_filter`: Kimi cut the answer short (its budget ran out, or its filter stopped it). */
  outcome: 'ok' | 'stopped' | 'error' | 'length' | 'content_filter';
  errorType: string | null;
  /** `$web_search` calls Kimi returned in this call: each adds the search fee (the `$web_search` price row). */
  webSearches?: number;
  /** Purpose `api`: the personal key the call came through. */
  apiKeyId?: string;
}

/** Builds (does not write) a ledger row; the caller writes it in the same transaction as the answer. */
export async function usageRow(input: UsageRowInput): Promise<Prisma.UsageUncheckedCreateInput> {
  // Kimi refused the request outright (an HTTP error status): nothing was generated or billed.
  const refused = APICallError.isInstance(input.call.error) && input.call.ttftMs === null;
  const counts = refused
    ? { promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0, reported: true }
    : usageFromResult({ usage: input.call.usage, prompt: input.prompt, text: input.text, reasoning: input.reasoning });
  const currency = config().kimi.currency;
  const prisma = await db();
  const rates = await ratesAt(prisma, input.servedModel, currency);
  const webSearches = input.webSearches ?? 0;
  // No fee row in force: the searches are recorded at zero fee, like a model without a price.
  const fee = webSearches > 0 ? await ratesAt(prisma, WEB_SEARCH_PRICE_MODEL, currency) : null;
  // No price in force for this model: recorded at zero; the tokens stay exact for a later re-pricing.
  const tokenCost = rates ? computeCost(counts, rates) : '0';
  return {
    userId: input.userId,
    conversationId: input.conversationId,
    messageId: input.messageId,
    purpose: input.purpose,
    requestedModel: input.requestedModel,
    servedModel: input.servedModel,
    promptTokens: counts.promptTokens,
    cachedTokens: counts.cachedTokens,
    completionTokens: counts.completionTokens,
    reasoningTokens: counts.reasoningTokens,
    estimated: !counts.reported,
    webSearches,
    cost: fee ? sumCosts([tokenCost, feeCost(webSearches, fee.input)]) : tokenCost,
    currency,
    ttftMs: input.call.ttftMs,
    durationMs: Math.round((input.call.endedAt ?? performance.now()) - input.call.startedAt),
    outcome: input.outcome,
    errorType: input.errorType,
    requestId: input.call.requestId,
    apiKeyId: input.apiKeyId ?? null,
  };
}

/**
 * The ledger row of a call to Kimi's file API (purpose `extraction`). Kimi bills no tokens for extracting;
 * the text is paid for as prompt tokens when it is sent with a chat turn.
 */
export function fileCallRow(args: {
  userId: string;
  conversationId: string | null;
  startedAt: number;
  errorType: string | null;
}): Prisma.UsageUncheckedCreateInput {
  return {
    userId: args.userId,
    conversationId: args.conversationId,
    messageId: null,
    purpose: 'extraction',
    requestedModel: 'file-extract',
    servedModel: 'file-extract',
    promptTokens: 0,
    cachedTokens: 0,
    completionTokens: 0,
    reasoningTokens: 0,
    cost: '0',
    currency: config().kimi.currency,
    ttftMs: null,
    durationMs: Math.round(performance.now() - args.startedAt),
    outcome: args.errorType ? 'error' : 'ok',
    errorType: args.errorType,
    requestId: null,
  };
}

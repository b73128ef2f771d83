// Contracts the browser shares with several server rooms (documents, models, usage): types and zod schemas
// only, safe in client components. Chat's own contract is lib/chat/types.ts.
import { z } from 'zod';

export const reasoningEffortSchema = z.enum(['low', 'high', 'max']);
export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

/** The numbers of an answer's ledger rows (summed over its calls when it was continued), shown under it. */
export interface MessageDetails {
  /** The model that answered (the last call's). */
  model: string;
  /** What the conversation asked for: `auto`, or the model itself. */
  requestedModel: string;
  promptTokens: number;
  cachedTokens: number;
  /** Reasoning included, as Kimi counts it. */
  completionTokens: number;
  reasoningTokens: number;
  /** Decimal string, exact as the ledger stores it. */
  cost: string;
  currency: 'CNY' | 'USD';
  /** The first call's time to first token; null when nothing arrived. */
  ttftMs: number | null;
  /** All calls' durations added up. */
  durationMs: number;
  /** Upstream calls behind the answer: 1, plus one per Continue. */
  calls: number;
  /** Kimi reported no usage for some call (stopped or dropped): those counts are our estimate. */
  estimated: boolean;
  /** `$web_search` calls Kimi made for the answer (their fee is in `cost`). */
  webSearches: number;
}

/** One entry of the model picker (GET /api/models, and the pages' initial list). Safe for the browser. */
export interface ModelOption {
  /** A model id, or `auto`. */
  id: string;
  label: string;
  /** `auto`: the app's Auto; `general` / `code`: a catalog model; `unknown`: an id only the endpoint lists. */
  kind: 'auto' | 'general' | 'code' | 'unknown';
  /** For auto: the largest window among its candidates. */
  contextWindow: number;
  thinking: 'never' | 'always' | 'optional';
  /** Empty when the model takes no reasoning_effort. */
  reasoningEfforts: readonly ReasoningEffort[];
  /** true: temperature is Kimi's own (never sent); false: the conversation may set one in [0, 1]. */
  fixedTemperature: boolean;
  /** What Kimi uses when nothing is sent (for the settings hint). */
  defaultTemperature: number;
  vision: boolean;
  /** Per million tokens in the instance's currency; null when no price is known (admins set it). For auto: null. */
  priceHint: { currency: 'CNY' | 'USD'; cacheHit: number | null; input: number; output: number } | null;
  /** The seed price is not confirmed by Moonshot: admins are asked to check it. */
  priceUnconfirmed: boolean;
  /** For auto: the models it chooses from, cheapest first. */
  candidates?: string[];
}

/** What the browser needs to know about the instance's models. */
export interface ModelCatalogView {
  models: ModelOption[];
  /** The instance default (admin setting, else KIMI_DEFAULT_MODEL, else auto), always one of `models`. */
  defaultModel: string;
}

/** One attached document, as the browser sees it (POST /api/documents, GET /api/conversations/:id/documents). */
export const documentSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  /** PDFs: page count. */
  pages: z.number().int().nullable(),
  /** Tokens of the document's system message. */
  tokens: z.number().int().nonnegative(),
  mediaType: z.string(),
});
export type DocumentSummary = z.infer<typeof documentSummarySchema>;

/** GET /api/conversations/:id/context?model= — the context meter above the composer. */
export interface ContextBudget {
  /** The model asked for (or `auto`) and the one that would serve (auto's pick; the same otherwise). */
  model: string;
  servedModel: string | null;
  window: number;
  systemTokens: number;
  historyTokens: number;
  documentsTokens: number;
  reservedTokens: number;
  /** Prompt + reserved answer. */
  totalTokens: number;
  fits: boolean;
  /** When it does not fit: by how much, and the smallest model that would hold it (none: nothing fits). */
  over: number;
  suggestedModel: string | null;
  /** Upper bound of this turn's cost: prompt at the input rate + the reserved answer at the output rate. */
  cost: { amount: number; currency: 'CNY' | 'USD' } | null;
}

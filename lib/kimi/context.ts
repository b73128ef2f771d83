// Does prompt + reserved answer fit the model's window? Never truncates: it routes, or says by how much.
import type { ChatError } from '@/lib/chat/types';
import { MODELS, findModel, getModel, routeAuto, type ModelInfo } from './catalog';

export interface FitRequest {
  requestedModel: string;
  promptTokens: number;
  maxOutputTokens: number;
  /** Let moonshot-v1-auto go beyond 128k to a 256k kimi-k2 model. */
  allowKimi256k?: boolean;
  /** Resolves model ids; default the catalog (pass models.ts's lookupModel for API-discovered ids). */
  lookup?: (id: string) => ModelInfo | undefined;
}

export type FitResult =
  | { ok: true; servedModel: string; window: number }
  | { ok: false; error: ChatError; suggestedModel?: string };

// Smallest window, then cheapest, then a non-reasoning model (closest to what the user had).
const byWindowThenPrice = (a: ModelInfo, b: ModelInfo) =>
  a.contextWindow - b.contextWindow ||
  (a.prices.CNY?.input ?? Infinity) - (b.prices.CNY?.input ?? Infinity) ||
  (a.prices.CNY?.output ?? Infinity) - (b.prices.CNY?.output ?? Infinity) ||
  Number(a.thinking === 'always') - Number(b.thinking === 'always');

/** Listed concrete models, smallest window first, cheapest first within a window. */
const SUGGESTIONS = MODELS.filter((m) => !m.retired && !m.routes).sort(byWindowThenPrice);

/** The 256k kimi-k2 models auto may extend to: non-reasoning ones, as moonshot-v1 is. */
const KIMI_256K = MODELS.filter((m) => !m.retired && m.id.startsWith('kimi-k2') && m.thinking !== 'always' && m.contextWindow > 131_072)
  .sort(byWindowThenPrice)
  .map((m) => m.id);

export function fitContext({ requestedModel, promptTokens, maxOutputTokens, allowKimi256k = false, lookup = findModel }: FitRequest): FitResult {
  const requested = promptTokens + maxOutputTokens;
  const model = lookup(requestedModel);
  if (!model) return { ok: false, error: { code: 'model_not_found', params: { model: requestedModel }, retryable: false } };

  if (model.routes) {
    const candidates = allowKimi256k ? [...model.routes, ...KIMI_256K] : model.routes;
    const served = routeAuto(promptTokens, maxOutputTokens, candidates);
    if (served) return { ok: true, servedModel: served, window: getModel(served).contextWindow };
    return tooLong(requestedModel, getModel(candidates.at(-1) ?? requestedModel).contextWindow, requested);
  }
  if (requested <= model.contextWindow) return { ok: true, servedModel: model.id, window: model.contextWindow };
  return tooLong(requestedModel, model.contextWindow, requested);
}

function tooLong(model: string, window: number, requested: number): FitResult {
  const suggestedModel = SUGGESTIONS.find((m) => m.contextWindow >= requested)?.id;
  const params: Record<string, string | number> = { model, window, requested, over: requested - window };
  if (suggestedModel) params.suggestion = suggestedModel;
  return {
    ok: false,
    error: { code: 'context_too_long', params, retryable: false },
    ...(suggestedModel ? { suggestedModel } : {}),
  };
}

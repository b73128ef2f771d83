// Does prompt + answer budget fit a model's window, and which model answers for Auto? Never truncates:
// it picks a model that fits, or says by how much nothing does.
//
// The answer budget (reasoning included) is Kimi's own default for the model — 32,768 on K2.6 and K2.7,
// 131,072 on K3 — capped by what the window leaves after the prompt, and it is sent explicitly, so the
// context meter reserves exactly what the call may use. A model fits when at least MIN_ANSWER_TOKENS (or
// its whole default, if smaller) are left for the answer.
//
// Auto (the default choice): the cheapest served general-purpose model whose window holds the prompt and
// its full default budget; if none does, the cheapest that holds the prompt and the minimum answer.
// Today that is K2.6 up to 229,376 prompt tokens (256k − 32k) and K3 beyond. Coding models answer only
// when chosen.
import type { AppError } from '@/lib/errors';
import { type Currency, getModel, type ModelInfo, routeAuto } from './catalog';

/** The smallest answer a model must have room for (reasoning models need room to think). */
export const MIN_ANSWER_TOKENS = 4096;

const minimumAnswer = (model: ModelInfo): number => Math.min(MIN_ANSWER_TOKENS, model.defaultMaxTokens);

/** Tokens reserved for the answer on `model` after `promptTokens`: Kimi's default, capped by the window. */
export function answerBudget(model: ModelInfo, promptTokens: number): number {
  return Math.max(0, Math.min(model.defaultMaxTokens, model.contextWindow - promptTokens));
}

function fitsWindow(model: ModelInfo, promptTokens: number): boolean {
  return answerBudget(model, promptTokens) >= minimumAnswer(model);
}

/** Auto's candidates among the served models: general purpose, cheapest first (unpriced last), then smaller window. */
export function autoCandidates(served: readonly ModelInfo[], currency: Currency): ModelInfo[] {
  const price = (m: ModelInfo) => m.prices[currency] ?? m.prices.CNY ?? m.prices.USD;
  return served
    .filter((m) => m.purpose === 'general' && !m.routes)
    .map((m) => ({ m, p: price(m) }))
    .sort(
      (a, b) =>
        (a.p?.input ?? Infinity) - (b.p?.input ?? Infinity) ||
        (a.p?.output ?? Infinity) - (b.p?.output ?? Infinity) ||
        a.m.contextWindow - b.m.contextWindow,
    )
    .map(({ m }) => m);
}

/** Auto's pick for a prompt, or undefined when no candidate can hold it. */
export function chooseAuto(candidates: readonly ModelInfo[], promptTokens: number): ModelInfo | undefined {
  return candidates.find((m) => promptTokens + m.defaultMaxTokens <= m.contextWindow) ?? candidates.find((m) => fitsWindow(m, promptTokens));
}

export interface FitRequest {
  /** The conversation's choice: a model, or `auto` with its candidates. */
  requested: { auto: true; candidates: readonly ModelInfo[] } | { auto: false; model: ModelInfo };
  promptTokens: number;
  /** Served models, for "this one would fit" when nothing chosen does. */
  served: readonly ModelInfo[];
}

export type FitResult =
  | { ok: true; servedModel: ModelInfo; window: number; maxOutputTokens: number }
  | { ok: false; error: AppError; window: number; maxOutputTokens: number; suggestedModel?: string };

export function fitContext({ requested, promptTokens, served }: FitRequest): FitResult {
  let model: ModelInfo | undefined;
  if (requested.auto) {
    model = chooseAuto(requested.candidates, promptTokens);
    if (!model) {
      const largest = [...requested.candidates].sort((a, b) => b.contextWindow - a.contextWindow)[0];
      return tooLong('auto', largest, promptTokens, served);
    }
  } else if (requested.model.routes) {
    // The retired moonshot-v1-auto, on an endpoint that still serves it: its own routing rule.
    const routed = routeAuto(promptTokens, requested.model.defaultMaxTokens, requested.model.routes);
    if (!routed) return tooLong(requested.model.id, getModel(requested.model.routes.at(-1) ?? requested.model.id), promptTokens, served);
    model = getModel(routed);
  } else {
    model = requested.model;
    if (!fitsWindow(model, promptTokens)) return tooLong(model.id, model, promptTokens, served);
  }
  return { ok: true, servedModel: model, window: model.contextWindow, maxOutputTokens: answerBudget(model, promptTokens) };
}

function tooLong(requestedId: string, model: ModelInfo | undefined, promptTokens: number, served: readonly ModelInfo[]): FitResult {
  const window = model?.contextWindow ?? 0;
  const reserve = model ? minimumAnswer(model) : MIN_ANSWER_TOKENS;
  const requested = promptTokens + reserve;
  const suggested = served
    .filter((m) => !m.routes && m.id !== model?.id && fitsWindow(m, promptTokens))
    .sort((a, b) => a.contextWindow - b.contextWindow)[0]?.id;
  const params: Record<string, string | number> = { model: requestedId, window, requested, over: requested - window };
  if (suggested) params.suggestion = suggested;
  return {
    ok: false,
    error: { code: 'context_too_long', params, retryable: false },
    window,
    maxOutputTokens: reserve,
    ...(suggested ? { suggestedModel: suggested } : {}),
  };
}

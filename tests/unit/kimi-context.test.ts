// Auto's rule and the window check, at their exact boundaries (the rule is documented in lib/kimi/context.ts
// and the README's model section).
import { describe, expect, it } from 'vitest';
import { CURRENT_MODELS, getModel } from '@/lib/kimi/catalog';
import { answerBudget, autoCandidates, chooseAuto, fitContext, MIN_ANSWER_TOKENS } from '@/lib/kimi/context';

const served = CURRENT_MODELS;
const candidates = autoCandidates(served, 'CNY');
const auto = (promptTokens: number) => fitContext({ requested: { auto: true, candidates }, promptTokens, served });
const fixed = (id: string, promptTokens: number) => fitContext({ requested: { auto: false, model: getModel(id) }, promptTokens, served });

const K26 = getModel('kimi-k2.6');
const K3 = getModel('kimi-k3');

describe("Auto's candidates", () => {
  it('are the general-purpose models, cheapest first: K2.6 then K3 (coding models only when chosen)', () => {
    expect(candidates.map((m) => m.id)).toEqual(['kimi-k2.6', 'kimi-k3']);
    expect(autoCandidates(served, 'USD').map((m) => m.id)).toEqual(['kimi-k2.6', 'kimi-k3']);
  });

  it('follow what the endpoint serves: without K2.6, K3 answers everything', () => {
    expect(
      autoCandidates(
        served.filter((m) => m.id !== 'kimi-k2.6'),
        'CNY',
      ).map((m) => m.id),
    ).toEqual(['kimi-k3']);
    expect(autoCandidates([getModel('kimi-k2.7-code')], 'CNY')).toEqual([]);
  });
});

describe('Auto at the 256k boundary', () => {
  const k26Limit = K26.contextWindow - K26.defaultMaxTokens; // 229,376: K2.6 with its full 32k answer budget

  it.each([
    [0, 'kimi-k2.6', K26.defaultMaxTokens],
    [k26Limit, 'kimi-k2.6', K26.defaultMaxTokens],
    [k26Limit + 1, 'kimi-k3', K3.defaultMaxTokens],
    [K3.contextWindow - K3.defaultMaxTokens, 'kimi-k3', K3.defaultMaxTokens],
    // Past K3's full budget, K3 still answers with what its window leaves (never less than the minimum).
    [K3.contextWindow - K3.defaultMaxTokens + 1, 'kimi-k3', K3.defaultMaxTokens - 1],
    [K3.contextWindow - MIN_ANSWER_TOKENS, 'kimi-k3', MIN_ANSWER_TOKENS],
  ])('prompt %i → %s with a %i-token answer budget', (prompt, model, budget) => {
    expect(auto(prompt)).toMatchObject({ ok: true, servedModel: { id: model }, maxOutputTokens: budget });
  });

  it('beyond every window: a clear refusal with the numbers, never truncation', () => {
    const prompt = K3.contextWindow - MIN_ANSWER_TOKENS + 1;
    expect(auto(prompt)).toEqual({
      ok: false,
      error: {
        code: 'context_too_long',
        params: { model: 'auto', window: K3.contextWindow, requested: prompt + MIN_ANSWER_TOKENS, over: 1 },
        retryable: false,
      },
      window: K3.contextWindow,
      maxOutputTokens: MIN_ANSWER_TOKENS,
    });
  });

  it('chooseAuto with no candidates chooses nothing', () => {
    expect(chooseAuto([], 10)).toBeUndefined();
  });
});

describe('a chosen model', () => {
  it('reserves its default budget, and less only as the window runs out', () => {
    expect(answerBudget(K26, 1000)).toBe(32_768);
    expect(answerBudget(K26, K26.contextWindow - 10_000)).toBe(10_000);
    expect(fixed('kimi-k2.6', K26.contextWindow - MIN_ANSWER_TOKENS)).toMatchObject({ ok: true, maxOutputTokens: MIN_ANSWER_TOKENS });
  });

  it('one token past the minimum answer: refused, suggesting the smallest served model that fits', () => {
    const prompt = K26.contextWindow - MIN_ANSWER_TOKENS + 1;
    expect(fixed('kimi-k2.6', prompt)).toEqual({
      ok: false,
      error: {
        code: 'context_too_long',
        params: { model: 'kimi-k2.6', window: K26.contextWindow, requested: prompt + MIN_ANSWER_TOKENS, over: 1, suggestion: 'kimi-k3' },
        retryable: false,
      },
      window: K26.contextWindow,
      maxOutputTokens: MIN_ANSWER_TOKENS,
      suggestedModel: 'kimi-k3',
    });
  });

  it('a retired moonshot-v1-auto (on an endpoint that still serves it) keeps its own routing', () => {
    const v1auto = getModel('moonshot-v1-auto');
    const legacy = { requested: { auto: false as const, model: v1auto }, served: [v1auto] };
    expect(fitContext({ ...legacy, promptTokens: 8192 - 1024 })).toMatchObject({
      ok: true,
      servedModel: { id: 'moonshot-v1-8k' },
      maxOutputTokens: 1024,
    });
    expect(fitContext({ ...legacy, promptTokens: 8193 - 1024 })).toMatchObject({ ok: true, servedModel: { id: 'moonshot-v1-32k' } });
    expect(fitContext({ ...legacy, promptTokens: 131_073 - 1024 })).toMatchObject({ ok: false, error: { code: 'context_too_long' } });
  });
});

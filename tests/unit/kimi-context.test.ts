import { describe, expect, it } from 'vitest';
import { fitContext } from '@/lib/kimi/context';

const auto = (promptTokens: number, maxOutputTokens: number, allowKimi256k = false) =>
  fitContext({ requestedModel: 'moonshot-v1-auto', promptTokens, maxOutputTokens, allowKimi256k });

describe('fitContext: moonshot-v1-auto routing at the exact boundaries', () => {
  it.each([
    [8192 - 1024, 1024, 'moonshot-v1-8k', 8192],
    [8193 - 1024, 1024, 'moonshot-v1-32k', 32_768],
    [32_768 - 1024, 1024, 'moonshot-v1-32k', 32_768],
    [32_769 - 1024, 1024, 'moonshot-v1-128k', 131_072],
    [131_072 - 1024, 1024, 'moonshot-v1-128k', 131_072],
    [0, 8192, 'moonshot-v1-8k', 8192],
  ])('prompt %i + output %i → %s', (prompt, out, served, window) => {
    expect(auto(prompt, out)).toEqual({ ok: true, servedModel: served, window });
  });

  it('over 128k: refuses with the numbers and a 256k suggestion, unless the kimi-k2 extension is allowed', () => {
    const result = auto(131_073 - 1024, 1024);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      code: 'context_too_long',
      params: { model: 'moonshot-v1-auto', window: 131_072, requested: 131_073, over: 1 },
      retryable: false,
    });
    expect(result.suggestedModel).toBe('kimi-k2-0905-preview');
    expect(result.error.params?.suggestion).toBe(result.suggestedModel);

    expect(auto(131_073 - 1024, 1024, true)).toEqual({ ok: true, servedModel: 'kimi-k2-0905-preview', window: 262_144 });
    expect(auto(262_144 - 1024, 1024, true)).toMatchObject({ ok: true, window: 262_144 });
  });

  it('beyond every window: no suggestion, never truncation', () => {
    const result = auto(262_145 - 1024, 1024, true);
    expect(result).toEqual({
      ok: false,
      error: { code: 'context_too_long', params: { model: 'moonshot-v1-auto', window: 262_144, requested: 262_145, over: 1 }, retryable: false },
    });
  });
});

describe('fitContext: a fixed model', () => {
  it('fits exactly at the window and fails one token over, suggesting the smallest listed model that fits', () => {
    expect(fitContext({ requestedModel: 'moonshot-v1-8k', promptTokens: 7168, maxOutputTokens: 1024 })).toEqual({
      ok: true,
      servedModel: 'moonshot-v1-8k',
      window: 8192,
    });
    const over = fitContext({ requestedModel: 'moonshot-v1-8k', promptTokens: 7169, maxOutputTokens: 1024 });
    expect(over).toEqual({
      ok: false,
      error: {
        code: 'context_too_long',
        params: { model: 'moonshot-v1-8k', window: 8192, requested: 8193, over: 1, suggestion: 'moonshot-v1-32k' },
        retryable: false,
      },
      suggestedModel: 'moonshot-v1-32k',
    });
  });

  it('a 256k model over its window has nothing to suggest', () => {
    const result = fitContext({ requestedModel: 'kimi-k2.5', promptTokens: 300_000, maxOutputTokens: 4096 });
    expect(result).toMatchObject({ ok: false, error: { params: { window: 262_144, requested: 304_096, over: 304_096 - 262_144 } } });
    expect(result).not.toHaveProperty('suggestedModel');
  });

  it('unknown model → model_not_found', () => {
    expect(fitContext({ requestedModel: 'nope', promptTokens: 1, maxOutputTokens: 1 })).toMatchObject({ ok: false, error: { code: 'model_not_found' } });
  });
});

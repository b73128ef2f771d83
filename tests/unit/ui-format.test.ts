import { describe, expect, it } from 'vitest';
import { errorText, parseApiError } from '@/components/chat/errors';
import { formatContextWindow, formatPrice } from '@/components/chat/format';
import { CATALOGS, translator } from '@/lib/i18n';

describe('formatContextWindow', () => {
  it('formats token windows the way Kimi names them', () => {
    expect(formatContextWindow(8_192)).toBe('8K');
    expect(formatContextWindow(32_768)).toBe('32K');
    expect(formatContextWindow(131_072)).toBe('128K');
    expect(formatContextWindow(262_144)).toBe('256K');
    expect(formatContextWindow(1_048_576)).toBe('1M');
    expect(formatContextWindow(0)).toBe('');
  });
});

describe('formatPrice', () => {
  it('uses the currency symbol and keeps cents only when needed', () => {
    expect(formatPrice(10, 'CNY')).toBe('¥10');
    expect(formatPrice(0.6, 'USD')).toBe('$0.60');
    expect(formatPrice(1.15, 'USD')).toBe('$1.15');
  });
});

describe('errors', () => {
  it('parses an ApiErrorBody from useChat’s error message', () => {
    const err = new Error(JSON.stringify({ error: { code: 'rate_limited', params: { retryAfterSeconds: 3 }, retryable: true } }));
    expect(parseApiError(err)).toEqual({ code: 'rate_limited', params: { retryAfterSeconds: 3 }, detail: undefined, retryable: true });
    expect(parseApiError(new Error('Failed to fetch')).code).toBe('upstream_error');
  });

  it('translates known codes and falls back to internal for unknown ones', () => {
    const t = translator('en');
    const text = errorText(CATALOGS.en, t, { code: 'rate_limited', params: { retryAfterSeconds: 3 }, retryable: true });
    expect(text).toContain('3');
    const unknown = errorText(CATALOGS.en, t, { code: 'nope' as never, retryable: false });
    expect(unknown).toBe(errorText(CATALOGS.en, t, { code: 'internal', retryable: false }));
  });

  it('fills {suggestion} and model labels', () => {
    const t = translator('en');
    const text = errorText(
      CATALOGS.en,
      t,
      {
        code: 'context_too_long',
        params: { requested: 9000, model: 'moonshot-v1-8k', window: 8192, over: 808, suggestion: 'moonshot-v1-32k' },
        retryable: false,
      },
      (id) => (id === 'moonshot-v1-32k' ? 'Moonshot v1 32K' : id === 'moonshot-v1-8k' ? 'Moonshot v1 8K' : id),
    );
    expect(text).toContain('Moonshot v1 32K');
    expect(text).toContain('Moonshot v1 8K');
    expect(text).not.toContain('{suggestion}');
  });

  it("gives a quota's reset day and token counts in the reader's language", () => {
    const quota = { code: 'user_quota_exceeded' as const, params: { resetsAt: '2027-01-01T00:00:00.000Z' }, retryable: false };
    expect(errorText(CATALOGS.en, translator('en'), quota, undefined, 'en')).toContain('It resets on January 1, 2027.');
    expect(errorText(CATALOGS.zh, translator('zh'), quota, undefined, 'zh')).toContain('2027年1月1日');
    const tooLong = {
      code: 'context_too_long' as const,
      params: { requested: 270_000, model: 'kimi-k2.6', window: 262_144, over: 7_856 },
      retryable: false,
    };
    const text = errorText(CATALOGS.en, translator('en'), tooLong, undefined, 'en');
    expect(text).toContain('270,000');
    expect(text).toContain('262,144');
    expect(text).toContain('7,856');
  });
});

import { describe, expect, it } from 'vitest';
import { countMessageTokens, countTokens } from '@/lib/kimi/tokenizer';

describe('the local token estimator', () => {
  it('counts English words by length, punctuation one each, and ignores single spaces', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello')).toBe(2); // 5 letters → ceil(5/4)
    expect(countTokens('hi there.')).toBe(1 + 2 + 1);
  });

  it('packs Chinese densely', () => {
    expect(countTokens('你好世界')).toBe(Math.ceil(4 * 0.6));
  });

  it('counts an emoji once, whatever follows it', () => {
    expect(countTokens('😀')).toBe(1);
    expect(countTokens('😀   ')).toBe(1); // three spaces are free
    expect(countTokens('😀    ')).toBe(2); // four or more cost one
  });

  it('adds framing per message and priming per conversation', () => {
    expect(countMessageTokens([])).toBe(3);
    expect(countMessageTokens([{ role: 'user', content: 'hello' }])).toBe(3 + 4 + 2);
  });
});

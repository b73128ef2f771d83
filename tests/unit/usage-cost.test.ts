import { describe, expect, it } from 'vitest';
import { computeCost, sumCosts } from '@/lib/usage/cost';

describe('computeCost', () => {
  it('bills cached tokens at the cache-hit rate and the rest at input/output, exactly', () => {
    // 1,000,000 cached × 1 + 234,567 × 4 + 1,000 × 16, per million CNY.
    const cost = computeCost({ promptTokens: 1_234_567, cachedTokens: 1_000_000, completionTokens: 1000 }, { cacheHit: 1, input: 4, output: 16 });
    expect(cost).toBe('1.9542680000');
  });

  it('cached tokens bill at the input rate when the model has no cache discount', () => {
    expect(computeCost({ promptTokens: 100, cachedTokens: 60, completionTokens: 0 }, { cacheHit: null, input: '2', output: '10' })).toBe(
      computeCost({ promptTokens: 100, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: '2', output: '10' }),
    );
    expect(computeCost({ promptTokens: 100, cachedTokens: 60, completionTokens: 0 }, { cacheHit: null, input: '2', output: '10' })).toBe(
      '0.0002000000',
    );
  });

  it('all zero → zero with ten digits', () => {
    expect(computeCost({ promptTokens: 0, cachedTokens: 0, completionTokens: 0 }, { cacheHit: 0.7, input: 4, output: 21 })).toBe('0.0000000000');
  });

  it('has no floating-point error where floats do (0.1 + 0.2)', () => {
    // 1M tokens at 0.1 + 1M at 0.2: a float sum gives 0.30000000000000004.
    expect(computeCost({ promptTokens: 1_000_000, cachedTokens: 0, completionTokens: 1_000_000 }, { cacheHit: null, input: 0.1, output: 0.2 })).toBe(
      '0.3000000000',
    );
    expect(computeCost({ promptTokens: 3, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: '0.000001', output: 0 })).toBe(
      '0.0000000000',
    );
    expect(computeCost({ promptTokens: 50, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: '0.000001', output: 0 })).toBe(
      '0.0000000001',
    );
  });

  it('huge counts stay exact (beyond float precision)', () => {
    const max = Number.MAX_SAFE_INTEGER; // 9007199254740991
    // 9007199254740991 × 27 / 1e6 = 243194379878.006757
    expect(computeCost({ promptTokens: 0, cachedTokens: 0, completionTokens: max }, { cacheHit: null, input: 6.5, output: 27 })).toBe(
      '243194379878.0067570000',
    );
    expect(computeCost({ promptTokens: max, cachedTokens: max, completionTokens: 0 }, { cacheHit: '1.1', input: 6.5, output: 27 })).toBe(
      '9907919180.2150901000',
    );
  });

  it('accepts Prisma Decimal strings and exponent notation, rounds half up at the 10th digit', () => {
    expect(computeCost({ promptTokens: 1, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: '4.000000', output: '0' })).toBe(
      '0.0000040000',
    );
    expect(computeCost({ promptTokens: 5, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: 1e-5, output: 0 })).toBe('0.0000000001');
    expect(computeCost({ promptTokens: 4, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: '0.00001', output: 0 })).toBe(
      '0.0000000000',
    );
  });

  it('rejects impossible counts and rates', () => {
    expect(() => computeCost({ promptTokens: -1, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: 1, output: 1 })).toThrow(
      RangeError,
    );
    expect(() => computeCost({ promptTokens: 1.5, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: 1, output: 1 })).toThrow(
      RangeError,
    );
    expect(() => computeCost({ promptTokens: 1, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: '-1', output: 1 })).toThrow(
      RangeError,
    );
    expect(() => computeCost({ promptTokens: 1, cachedTokens: 0, completionTokens: 0 }, { cacheHit: null, input: 'abc', output: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('sumCosts', () => {
  it('adds exactly, each cost first rounded half up to the column’s 10 digits', () => {
    expect(sumCosts(['0.1', 0.2])).toBe('0.3000000000');
    // 0.00000000005 is stored as 0.0000000001, 0.00000000004 as 0: the sum of the stored rows.
    expect(sumCosts(['0.00000000005', '0.00000000005', '0.00000000004'])).toBe('0.0000000002');
    expect(sumCosts(['99999999.9999999999', '0.0000000001', 1e-7, { toString: () => '12.5' }])).toBe('100000012.5000001000');
    expect(sumCosts([])).toBe('0.0000000000');
    expect(() => sumCosts(['-1'])).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { csvLine, csvText } from '@/lib/usage/csv';
import { parseExportPeriod } from '@/lib/usage/export-period';
import { monthStart, nextMonthStart } from '@/lib/usage/month';
import { parsePeriod } from '@/lib/usage/period';
import { addHistograms, TTFT_BUCKETS, ttftQuantile } from '@/lib/usage/ttft';

describe('CSV cells', () => {
  it('quotes commas, quotes and newlines, and neutralises formulas', () => {
    expect(csvText('plain')).toBe('plain');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    for (const start of ['=', '+', '-', '@', '\t']) expect(csvText(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvText('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvText(null)).toBe('');
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
  });
});

describe('TTFT histogram', () => {
  it('reads percentiles as bucket upper bounds', () => {
    const h = new Array<number>(TTFT_BUCKETS).fill(0);
    h[2] = 50; // [100, 150)
    h[6] = 45; // [400, 500)
    h[TTFT_BUCKETS - 1] = 5; // ≥ 30 s
    expect(ttftQuantile(h, 0.5)).toBe(150);
    expect(ttftQuantile(h, 0.95)).toBe(500);
    expect(ttftQuantile(h, 0.99)).toBe(Number.POSITIVE_INFINITY);
    expect(ttftQuantile(new Array<number>(TTFT_BUCKETS).fill(0), 0.5)).toBeNull();
    expect(addHistograms([1, 2], [3])[0]).toBe(4);
  });
});

describe('periods', () => {
  const now = new Date('2026-03-15T10:30:00Z');
  it('parses rolling and custom periods from the query, falling back to 30 days', () => {
    expect(parsePeriod({ range: '24h' }, now)).toEqual({ range: '24h', from: new Date('2026-03-14T10:30:00Z'), to: now });
    expect(parsePeriod({ range: 'custom', from: '2026-03-01', to: '2026-03-02' }, now)).toEqual({
      range: 'custom',
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
    });
    expect(parsePeriod({ range: 'custom', from: '2026-03-05', to: '2026-03-01' }, now).range).toBe('30d');
    expect(parsePeriod({ range: 'bogus' }, now).range).toBe('30d');
  });
  it('parses the export bounds and refuses nonsense', () => {
    const p = new URLSearchParams({ from: '2026-03-01', to: '2026-03-01' });
    expect(parseExportPeriod(p, now)).toEqual({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') });
    expect(parseExportPeriod(new URLSearchParams({ from: '2026-03-01T12:00:00Z', to: '2026-03-01T13:00:00Z' }), now)?.to).toEqual(
      new Date('2026-03-01T13:00:00Z'),
    );
    expect(parseExportPeriod(new URLSearchParams({ from: 'yesterday' }), now)).toBeNull();
    expect(parseExportPeriod(new URLSearchParams({ from: '2026-03-02', to: '2026-03-01' }), now)).toBeNull();
  });
  it('months are UTC calendar months', () => {
    expect(monthStart(new Date('2026-12-31T23:59:59Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(nextMonthStart(new Date('2026-12-31T23:59:59Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

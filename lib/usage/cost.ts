// Exact cost of one call: integer (BigInt) fixed-point arithmetic, no floating point anywhere.
export type Rate = string | number;

export interface CostRates {
  /** Per million cached prompt tokens; null: no cache discount, cached tokens bill as input. */
  cacheHit: Rate | null;
  input: Rate;
  output: Rate;
}

export interface CostCounts {
  promptTokens: number;
  cachedTokens: number;
  /** Reasoning included (Kimi counts it inside completion_tokens). */
  completionTokens: number;
}

export const COST_SCALE = 10;
const PER = 1_000_000n;

/** A non-negative decimal as digits × 10^-scale. Accepts what Prisma's Decimal and JS numbers print (incl. 1e-7). */
function parseDecimal(value: Rate): { digits: bigint; scale: number } {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match || (match[1] === '' && !match[2])) throw new RangeError(`Not a non-negative decimal rate: ${text}`);
  const [, whole = '', fraction = '', exponent = '0'] = match;
  let digits = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

function tokens(n: number, name: string): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  return BigInt(n);
}

/**
 * Cost in the rates' currency as a decimal string with exactly 10 fractional digits (the Usage.cost
 * column), rounded half up at the 10th digit: cached prompt tokens at the cache-hit rate, the rest of
 * the prompt at the input rate, completion tokens at the output rate.
 */
export function computeCost(counts: CostCounts, rates: CostRates): string {
  const prompt = tokens(counts.promptTokens, 'promptTokens');
  // A cache hit larger than the prompt would be a reporting error; never bill a negative remainder.
  const cached = tokens(Math.min(counts.cachedTokens, counts.promptTokens), 'cachedTokens');
  const completion = tokens(counts.completionTokens, 'completionTokens');

  const terms = [
    { count: cached, rate: parseDecimal(rates.cacheHit ?? rates.input) },
    { count: prompt - cached, rate: parseDecimal(rates.input) },
    { count: completion, rate: parseDecimal(rates.output) },
  ];
  const scale = Math.max(...terms.map((t) => t.rate.scale));
  // Σ count × rate, all at a common scale: an exact integer numerator over PER × 10^scale.
  const numerator = terms.reduce((sum, t) => sum + t.count * t.rate.digits * 10n ** BigInt(scale - t.rate.scale), 0n);
  const denominator = PER * 10n ** BigInt(scale);
  const scaled = (numerator * 10n ** BigInt(COST_SCALE) * 2n + denominator) / (2n * denominator);
  const text = scaled.toString().padStart(COST_SCALE + 1, '0');
  return `${text.slice(0, -COST_SCALE)}.${text.slice(-COST_SCALE)}`;
}

/** `count` × `fee` (a fee per search), in the same 10-digit format as computeCost. */
export function feeCost(count: number, fee: Rate): string {
  const n = tokens(count, 'count');
  const rate = parseDecimal(fee);
  const denominator = 10n ** BigInt(rate.scale);
  const scaled = (n * rate.digits * 10n ** BigInt(COST_SCALE) * 2n + denominator) / (2n * denominator);
  return formatScaled(scaled);
}

/**
 * The exact sum of costs in computeCost's format, each first rounded half up to COST_SCALE digits as the
 * Usage.cost column stores it (so a sum of rows equals the database's sum of the stored rows).
 */
export function sumCosts(values: readonly { toString(): string }[]): string {
  let sum = 0n;
  for (const value of values) {
    const { digits, scale } = parseDecimal(value.toString()); // a number, a string or Prisma's Decimal
    const divisor = 10n ** BigInt(Math.max(0, scale - COST_SCALE));
    sum += (digits * 10n ** BigInt(Math.max(0, COST_SCALE - scale)) * 2n + divisor) / (2n * divisor);
  }
  return formatScaled(sum);
}

function formatScaled(scaled: bigint): string {
  const text = scaled.toString().padStart(COST_SCALE + 1, '0');
  return `${text.slice(0, -COST_SCALE)}.${text.slice(-COST_SCALE)}`;
}

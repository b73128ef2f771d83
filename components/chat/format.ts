// Small, pure formatting helpers for the model picker and the answer details.
import type { ModelOption } from '@/lib/contracts';

type Currency = NonNullable<ModelOption['priceHint']>['currency'];

/** 8192 → "8K", 131072 → "128K", 1048576 → "1M". */
export function formatContextWindow(tokens: number): string {
  if (!Number.isFinite(tokens) || tokens <= 0) return '';
  if (tokens >= 1024 * 1024) {
    const m = tokens / (1024 * 1024);
    return `${Number.isInteger(m) ? m : m.toFixed(1)}M`;
  }
  if (tokens >= 1000) return `${Math.round(tokens / 1024)}K`;
  return String(tokens);
}

const SYMBOL: Record<Currency, string> = { CNY: '¥', USD: '$' };

/** 10 → "¥10", 0.6 → "$0.60", 1.15 → "$1.15". */
export function formatPrice(amount: number, currency: Currency): string {
  const digits = Number.isInteger(amount) ? 0 : 2;
  return `${SYMBOL[currency]}${amount.toFixed(digits)}`;
}

/** A ledger cost (exact decimal string) as written, without trailing zeros: "0.00051200" → "¥0.000512", "0" → "¥0". */
export function formatExactCost(cost: string, currency: Currency): string {
  const trimmed = /^-?\d+(\.\d+)?$/.test(cost) ? cost.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : cost;
  return `${SYMBOL[currency]}${trimmed}`;
}

/** Milliseconds as seconds with one decimal below a minute: 1234 → "1.2". */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? s.toFixed(2) : s < 60 ? s.toFixed(1) : String(Math.round(s));
}

export const formatTokens = (n: number, locale: string) => new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-US').format(n);

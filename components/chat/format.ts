// Small, pure formatting helpers for the model picker.
import type { Currency } from '@/lib/kimi/catalog';

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

// Number formatting for the admin pages: exact integers (bigint) and exact decimal costs (strings).
import type { Locale } from '@/lib/i18n';

export function formatInt(locale: Locale, value: number | bigint): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A cost shown to 4 decimals (the exact value goes in a title); Intl formats a decimal string without floats. */
export function formatCost(locale: Locale, cost: string, currency: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 });
  return format.format(cost as unknown as number);
}

export function formatPercent(locale: Locale, part: number, whole: number): string {
  return whole === 0 ? '–' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(part / whole);
}

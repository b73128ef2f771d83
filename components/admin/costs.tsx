import type { Locale } from '@/lib/i18n';
import type { CurrencyCost } from '@/lib/usage/aggregates';
import { formatCost } from './format';

/** Costs in each currency they were billed in, one per line; the exact decimal in the title. */
export function Costs({ costs, locale }: { costs: readonly CurrencyCost[]; locale: Locale }) {
  if (costs.length === 0) return <span>{formatCost(locale, '0', 'CNY')}</span>;
  return (
    <span className="flex flex-col">
      {costs.map((c) => (
        <span key={c.currency} title={`${c.cost} ${c.currency}`}>
          {formatCost(locale, c.cost, c.currency)}
        </span>
      ))}
    </span>
  );
}

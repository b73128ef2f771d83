import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { Translate } from '@/lib/i18n';
import { isoDate, type Period, RANGES } from '@/lib/usage/period';

/** Links for the rolling periods and a plain GET form for custom days: everything lives in the URL query. */
export function PeriodPicker({
  period,
  basePath,
  t,
  extra = {},
}: {
  period: Period;
  basePath: string;
  t: Translate;
  extra?: Record<string, string>;
}) {
  const href = (range: string) => `${basePath}?${new URLSearchParams({ ...extra, range })}`;
  const lastDay = new Date(period.to.getTime() - 1);
  return (
    <div className="flex flex-wrap items-end gap-3" role="group" aria-label={t('admin.period.label')}>
      <nav className="flex gap-1">
        {RANGES.filter((r) => r !== 'custom').map((range) => (
          <Link
            key={range}
            href={href(range)}
            aria-current={period.range === range ? 'page' : undefined}
            className={cn(buttonClass(period.range === range ? 'primary' : 'secondary', 'sm'))}
          >
            {t(`admin.period.${range}`)}
          </Link>
        ))}
      </nav>
      <form method="get" action={basePath} className="flex flex-wrap items-end gap-2">
        {Object.entries(extra).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <input type="hidden" name="range" value="custom" />
        <label className="flex flex-col text-xs text-fg-soft">
          {t('admin.period.from')}
          <input
            type="date"
            name="from"
            required
            defaultValue={isoDate(period.from)}
            className="rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg"
          />
        </label>
        <label className="flex flex-col text-xs text-fg-soft">
          {t('admin.period.to')}
          <input
            type="date"
            name="to"
            required
            defaultValue={isoDate(lastDay)}
            className="rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg"
          />
        </label>
        <button type="submit" className={buttonClass(period.range === 'custom' ? 'primary' : 'secondary', 'sm')}>
          {t('admin.period.apply')}
        </button>
      </form>
      <p className="text-xs text-fg-faint">
        {t('admin.period.showing', {
          from: period.from.toISOString().slice(0, 16).replace('T', ' '),
          to: period.to.toISOString().slice(0, 16).replace('T', ' '),
        })}
      </p>
    </div>
  );
}

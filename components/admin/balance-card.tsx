import { routes } from '@/components/api/client';
import { buttonClass } from '@/components/ui/button';
import type { Locale, Translate } from '@/lib/i18n';
import type { Balance } from '@/lib/kimi/balance';
import { formatCost } from './format';

export function BalanceCard({
  balance,
  threshold,
  locale,
  t,
  back,
}: {
  balance: Balance | null;
  threshold: number;
  locale: Locale;
  t: Translate;
  back: string;
}) {
  const low = balance !== null && balance.available < threshold;
  const money = (n: number) => formatCost(locale, String(n), balance?.currency ?? 'CNY');
  return (
    <section aria-labelledby="balance-title" className="flex flex-col gap-2 rounded-lg border border-line p-4">
      <h2 id="balance-title" className="font-semibold">
        {t('admin.balance.title')}
      </h2>
      {balance === null ? (
        <p className="text-sm text-fg-soft">{t('admin.balance.unavailable')}</p>
      ) : (
        <dl className="flex flex-wrap gap-6 text-sm">
          <div>
            <dt className="text-fg-soft">{t('admin.balance.available')}</dt>
            <dd className="text-lg font-semibold tabular-nums">{money(balance.available)}</dd>
          </div>
          <div>
            <dt className="text-fg-soft">{t('admin.balance.voucher')}</dt>
            <dd className="tabular-nums">{money(balance.voucher)}</dd>
          </div>
          <div>
            <dt className="text-fg-soft">{t('admin.balance.cash')}</dt>
            <dd className="tabular-nums">{money(balance.cash)}</dd>
          </div>
        </dl>
      )}
      {low && (
        <p role="alert" className="rounded-md bg-amber-100 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {t('admin.balance.low', { threshold, currency: balance.currency })}
        </p>
      )}
      <form method="post" action={routes.adminSettings} className="flex items-end gap-2 text-sm">
        <input type="hidden" name="setting" value="lowBalance" />
        <input type="hidden" name="back" value={back} />
        <label className="flex flex-col text-xs text-fg-soft">
          {t('admin.balance.threshold')}
          <input
            name="threshold"
            type="number"
            min={0}
            step="any"
            required
            defaultValue={threshold}
            className="w-28 rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg"
          />
        </label>
        <button type="submit" className={buttonClass('secondary', 'sm')}>
          {t('admin.balance.save')}
        </button>
      </form>
    </section>
  );
}

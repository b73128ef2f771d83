import { FormError } from '@/components/admin/form-error';
import { DataTable } from '@/components/admin/table';
import { buttonClass } from '@/components/ui/button';
import { requireAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import type { Translate } from '@/lib/i18n';
import { getI18n } from '@/lib/i18n/server';
import { currentPrices, priceHistory, type PriceRow } from '@/lib/usage/admin-prices';

export const dynamic = 'force-dynamic';

const field = 'w-24 rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg';

function PriceForm({ row, t }: { row?: PriceRow; t: Translate }) {
  return (
    <form method="post" action="/api/admin/prices" className="flex flex-wrap items-end gap-2" aria-label={row ? t('admin.prices.edit', { model: row.model, currency: row.currency }) : t('admin.prices.add')}>
      <input type="hidden" name="back" value="/admin/prices" />
      {row ? (
        <>
          <input type="hidden" name="model" value={row.model} />
          <input type="hidden" name="currency" value={row.currency} />
        </>
      ) : (
        <>
          <label className="flex flex-col text-xs text-fg-soft">
            {t('admin.prices.model')}
            <input name="model" required maxLength={100} className="w-48 rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg" />
          </label>
          <label className="flex flex-col text-xs text-fg-soft">
            {t('admin.prices.currency')}
            <select name="currency" className={field}>
              <option>CNY</option>
              <option>USD</option>
            </select>
          </label>
        </>
      )}
      {(['cacheHit', 'input', 'output'] as const).map((name) => (
        <label key={name} className="flex flex-col text-xs text-fg-soft">
          {t(`admin.prices.${name}`)}
          <input
            name={name}
            inputMode="decimal"
            pattern="\d{1,10}(\.\d{1,10})?"
            required={name !== 'cacheHit'}
            placeholder={name === 'cacheHit' ? t('admin.prices.cacheHint') : undefined}
            defaultValue={row ? (row[name] ?? '') : ''}
            className={field}
          />
        </label>
      ))}
      <button type="submit" className={buttonClass('secondary', 'sm')}>
        {t('admin.prices.save')}
      </button>
    </form>
  );
}

export default async function AdminPricesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin('/admin/prices');
  const [{ t, locale }, history, query] = await Promise.all([getI18n(), db().then(priceHistory), searchParams]);
  const current = currentPrices(history);
  const when = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
  return (
    <>
      <h2 className="text-xl font-semibold">{t('admin.prices.title')}</h2>
      <p className="text-sm text-fg-soft">{t('admin.prices.intro')}</p>
      <FormError error={typeof query.error === 'string' ? query.error : undefined} t={t} />
      <DataTable
        caption={t('admin.prices.current')}
        head={[t('admin.prices.model'), t('admin.prices.currency'), t('admin.prices.since'), '']}
        rows={current.map((row) => [
          row.model,
          row.currency,
          when(row.effectiveFrom),
          <div key="f" className="flex flex-col gap-2">
            <PriceForm row={row} t={t} />
            <details>
              <summary className="cursor-pointer text-xs text-fg-soft">{t('admin.prices.history')}</summary>
              <table className="mt-1 text-xs">
                <thead>
                  <tr>
                    {(['since', 'cacheHit', 'input', 'output'] as const).map((k) => (
                      <th key={k} className="pr-3 text-left font-medium">{t(`admin.prices.${k}`)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {history
                    .filter((h) => h.model === row.model && h.currency === row.currency)
                    .map((h) => (
                      <tr key={h.id}>
                        <td className="pr-3">{when(h.effectiveFrom)}</td>
                        <td className="pr-3 tabular-nums">{h.cacheHit ?? t('admin.prices.noCacheDiscount')}</td>
                        <td className="pr-3 tabular-nums">{h.input}</td>
                        <td className="pr-3 tabular-nums">{h.output}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </details>
          </div>,
        ])}
      />
      <section className="flex flex-col gap-2">
        <h3 className="font-semibold">{t('admin.prices.add')}</h3>
        <PriceForm t={t} />
      </section>
    </>
  );
}

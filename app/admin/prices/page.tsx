import { FormError } from '@/components/admin/form-error';
import { DataTable } from '@/components/admin/table';
import { WebSearchSettingForm } from '@/components/admin/web-search-setting';
import { buttonClass } from '@/components/ui/button';
import { currentPrices, type PriceRow, priceHistory } from '@/lib/admin/prices';
import { readWebSearchEnabled } from '@/lib/admin/settings';
import { requireAdmin } from '@/lib/auth/session';
import { modelCatalogView } from '@/lib/chat/models';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import type { Translate } from '@/lib/i18n';
import { getI18n } from '@/lib/i18n/server';
import { DefaultModelForm, ServedModelsTable } from './model-settings';

export const dynamic = 'force-dynamic';

const field = 'w-24 rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg';

function PriceForm({ row, t }: { row?: PriceRow; t: Translate }) {
  return (
    <form
      method="post"
      action="/api/admin/prices"
      className="flex flex-wrap items-end gap-2"
      aria-label={row ? t('admin.prices.edit', { model: row.model, currency: row.currency }) : t('admin.prices.add')}
    >
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
  const [{ t, locale }, history, query, catalog, webSearchEnabled] = await Promise.all([
    getI18n(),
    db().then(priceHistory),
    searchParams,
    modelCatalogView(),
    db().then(readWebSearchEnabled),
  ]);
  const current = currentPrices(history);
  const unconfirmed = new Set(catalog.models.filter((m) => m.priceUnconfirmed && m.priceHint).map((m) => `${m.id}:${m.priceHint!.currency}`));
  const when = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
  return (
    <>
      <h2 className="text-xl font-semibold">{t('admin.prices.title')}</h2>
      <p className="text-sm text-fg-soft">{t('admin.prices.intro')}</p>
      <FormError error={typeof query.error === 'string' ? query.error : undefined} t={t} />
      <DefaultModelForm catalog={catalog} t={t} />
      <WebSearchSettingForm enabled={webSearchEnabled} t={t} />
      <ServedModelsTable catalog={catalog} currency={config().kimi.currency} t={t} />
      <DataTable
        caption={t('admin.prices.current')}
        head={[t('admin.prices.model'), t('admin.prices.currency'), t('admin.prices.since'), '']}
        rows={current.map((row) => [
          unconfirmed.has(`${row.model}:${row.currency}`) ? (
            <span key="m" className="flex flex-col items-start gap-0.5">
              {row.model}
              <span
                title={t('admin.prices.models.unconfirmedHint')}
                className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-200"
              >
                {t('admin.prices.models.unconfirmed')}
              </span>
            </span>
          ) : (
            row.model
          ),
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
                      <th key={k} className="pr-3 text-left font-medium">
                        {t(`admin.prices.${k}`)}
                      </th>
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

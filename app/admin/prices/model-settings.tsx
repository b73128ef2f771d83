// /admin/prices: the instance's default model, and the served models whose price needs an admin's look.
import { DataTable } from '@/components/admin/table';
import { formatContextWindow, formatPrice } from '@/components/chat/format';
import { buttonClass } from '@/components/ui/button';
import type { ModelCatalogView, ModelOption } from '@/lib/contracts';
import type { Translate } from '@/lib/i18n';

export function DefaultModelForm({ catalog, t }: { catalog: ModelCatalogView; t: Translate }) {
  const label = (m: ModelOption) => (m.kind === 'auto' ? t('admin.prices.defaultModel.auto') : m.label);
  const current = catalog.models.find((m) => m.id === catalog.defaultModel);
  return (
    <section className="flex flex-col gap-2 rounded-lg border border-line p-4">
      <h3 className="font-semibold">{t('admin.prices.defaultModel.title')}</h3>
      <p className="text-sm text-fg-soft">{t('admin.prices.defaultModel.intro')}</p>
      <form method="post" action="/api/admin/settings" className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="back" value="/admin/prices" />
        <input type="hidden" name="setting" value="defaultModel" />
        <div className="flex flex-col gap-1 text-sm">
          <label htmlFor="default-model">{t('admin.prices.defaultModel.label')}</label>
          <select id="default-model" name="model" defaultValue={catalog.defaultModel} className="rounded-md border border-line bg-bg px-2 py-1">
            {catalog.models.map((m) => (
              <option key={m.id} value={m.id}>
                {label(m)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass('secondary', 'sm')}>
          {t('admin.prices.defaultModel.save')}
        </button>
      </form>
      {current ? <p className="text-xs text-fg-faint">{t('admin.prices.defaultModel.current', { model: label(current) })}</p> : null}
    </section>
  );
}

function PriceStatus({ model, t }: { model: ModelOption; t: Translate }) {
  if (!model.priceHint) {
    return (
      <span
        title={t('admin.prices.models.unknownHint')}
        className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200"
      >
        {t('admin.prices.models.unknown')}
      </span>
    );
  }
  if (model.priceUnconfirmed) {
    return (
      <span
        title={t('admin.prices.models.unconfirmedHint')}
        className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-200"
      >
        {t('admin.prices.models.unconfirmed')}
      </span>
    );
  }
  return <span className="text-xs text-fg-faint">{t('admin.prices.models.ok')}</span>;
}

/** The served models (Auto has no price of its own) with their price and a flag where it needs checking. */
export function ServedModelsTable({ catalog, currency, t }: { catalog: ModelCatalogView; currency: string; t: Translate }) {
  const models = catalog.models.filter((m) => m.kind !== 'auto');
  return (
    <section className="flex flex-col gap-2">
      <p className="text-sm text-fg-soft">{t('admin.prices.models.intro', { currency })}</p>
      <DataTable
        caption={t('admin.prices.models.title')}
        head={[t('admin.prices.model'), t('admin.prices.models.window'), t('admin.prices.models.price'), t('admin.prices.models.status')]}
        numeric={[1, 2]}
        rows={models.map((m) => [
          <span key="m" className="flex flex-col">
            <span className="font-medium">{m.label}</span>
            <span className="font-mono text-xs text-fg-faint">{m.id}</span>
          </span>,
          formatContextWindow(m.contextWindow),
          m.priceHint ? `${formatPrice(m.priceHint.input, m.priceHint.currency)} / ${formatPrice(m.priceHint.output, m.priceHint.currency)}` : '–',
          <PriceStatus key="s" model={m} t={t} />,
        ])}
      />
    </section>
  );
}

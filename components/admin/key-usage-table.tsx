import { formatCost, formatInt } from '@/components/admin/format';
import { DataTable } from '@/components/admin/table';
import type { KeyUsageRow } from '@/lib/gateway/usage';
import type { Locale } from '@/lib/i18n/locales';
import type { Translate } from '@/lib/i18n/translate';

/** Usage per personal API key (the ledger's `api` rows): on /admin/usage with owners, on /usage without. */
export function KeyUsageTable({
  rows,
  caption,
  withOwner,
  locale,
  currency,
  t,
}: {
  rows: KeyUsageRow[];
  caption: string;
  withOwner: boolean;
  locale: Locale;
  currency: string;
  t: Translate;
}) {
  const int = (n: number | bigint) => formatInt(locale, n);
  const head = [
    t('apiKeys.usage.key'),
    ...(withOwner ? [t('apiKeys.usage.user')] : []),
    t('admin.usage.requests'),
    t('admin.usage.promptTokens'),
    t('admin.usage.completionTokens'),
    t('admin.usage.cost'),
  ];
  const first = withOwner ? 2 : 1;
  return (
    <DataTable
      caption={caption}
      numeric={[first, first + 1, first + 2, first + 3]}
      head={head}
      rows={rows.map((r) => [
        `${r.name} (${r.prefix}…)${r.revoked ? ` · ${t('apiKeys.revoked')}` : ''}`,
        ...(withOwner ? [r.email] : []),
        int(r.requests),
        int(r.promptTokens),
        int(r.completionTokens),
        formatCost(locale, r.cost, currency),
      ])}
    />
  );
}

import Link from 'next/link';
import { BalanceCard } from '@/components/admin/balance-card';
import { Costs } from '@/components/admin/costs';
import { FormError } from '@/components/admin/form-error';
import { formatCost, formatInt, formatPercent } from '@/components/admin/format';
import { KeyUsageTable } from '@/components/admin/key-usage-table';
import { PeriodPicker } from '@/components/admin/period-picker';
import { DataTable } from '@/components/admin/table';
import { UsageChart } from '@/components/admin/usage-chart';
import { buttonClass } from '@/components/ui/button';
import { readLowBalanceThreshold } from '@/lib/admin/settings';
import { loadUsagePage, USER_ROWS } from '@/lib/admin/usage-page';
import { requireAdmin } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { keyUsage } from '@/lib/gateway/usage';
import { getI18n } from '@/lib/i18n/server';
import { getBalance } from '@/lib/kimi/balance';
import { isoDate, parsePeriod } from '@/lib/usage/period';
import { TTFT_BOUNDS_MS } from '@/lib/usage/ttft';

export const dynamic = 'force-dynamic';

type Query = Record<string, string | string[] | undefined>;

export default async function AdminUsagePage({ searchParams }: { searchParams: Promise<Query> }) {
  await requireAdmin('/admin/usage');
  const query = await searchParams;
  const period = parsePeriod(query);
  const metric = query.metric === 'tokens' ? 'tokens' : 'cost';
  const currency = config().kimi.currency;
  const prisma = await db();
  const [{ locale, t }, data, balance, threshold, keys] = await Promise.all([
    getI18n(),
    loadUsagePage(prisma, period, currency),
    getBalance(),
    readLowBalanceThreshold(prisma),
    keyUsage(prisma, period, currency),
  ]);
  const periodQuery: Record<string, string> =
    period.range === 'custom'
      ? { range: 'custom', from: isoDate(period.from), to: isoDate(new Date(period.to.getTime() - 1)) }
      : { range: period.range };
  const back = `/admin/usage?${new URLSearchParams(periodQuery)}`;
  const int = (n: number | bigint) => formatInt(locale, n);
  const ms = (v: number | null) =>
    v === null
      ? t('admin.usage.none')
      : Number.isFinite(v)
        ? t('admin.usage.ms', { ms: int(v) })
        : t('admin.usage.msOpen', { ms: int(TTFT_BOUNDS_MS.at(-1)!) });
  const { totals } = data;
  const metricLabel = metric === 'cost' ? t('admin.usage.chartCost', { currency }) : t('admin.usage.chartTokens');

  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h2 className="text-xl font-semibold">{t('admin.usage.title')}</h2>
        <a
          href={`/api/admin/usage/export?from=${encodeURIComponent(period.from.toISOString())}&to=${encodeURIComponent(period.to.toISOString())}`}
          className={buttonClass('secondary', 'sm')}
          download
        >
          {t('admin.usage.export')}
        </a>
      </div>
      <FormError error={typeof query.error === 'string' ? query.error : undefined} t={t} />
      <PeriodPicker period={period} basePath="/admin/usage" t={t} />

      <section aria-labelledby="totals-title" className="flex flex-col gap-3">
        <h3 id="totals-title" className="font-semibold">
          {t('admin.usage.totals')}
        </h3>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          {(
            [
              ['requests', int(totals.requests)],
              ['promptTokens', int(totals.promptTokens)],
              ['cachedTokens', int(totals.cachedTokens)],
              ['completionTokens', int(totals.completionTokens)],
              ['reasoningTokens', int(totals.reasoningTokens)],
              ['activeUsers', int(totals.activeUsers)],
            ] as const
          ).map(([key, value]) => (
            <div key={key} className="rounded-lg border border-line p-3">
              <dt className="text-xs text-fg-soft">{t(`admin.usage.${key}`)}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid={`total-${key}`}>
                {value}
              </dd>
            </div>
          ))}
          <div className="rounded-lg border border-line p-3">
            <dt className="text-xs text-fg-soft">{t('admin.usage.cost')}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="total-cost">
              <Costs costs={totals.costs} locale={locale} />
            </dd>
          </div>
        </dl>
      </section>

      <BalanceCard balance={balance} threshold={threshold} locale={locale} t={t} back={back} />

      <section aria-labelledby="chart-title" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <h3 id="chart-title" className="font-semibold">
            {t('admin.usage.chartTitle', { metric: metricLabel })}
          </h3>
          <nav aria-label={t('admin.usage.chartMetric')} className="flex gap-1">
            {(['cost', 'tokens'] as const).map((m) => (
              <Link
                key={m}
                href={`/admin/usage?${new URLSearchParams({ ...periodQuery, metric: m })}`}
                aria-current={metric === m ? 'page' : undefined}
                className={buttonClass(metric === m ? 'primary' : 'ghost', 'sm')}
              >
                {m === 'cost' ? t('admin.usage.chartCost', { currency }) : t('admin.usage.chartTokens')}
              </Link>
            ))}
          </nav>
        </div>
        {data.days.length === 0 ? (
          <p className="text-sm text-fg-soft">{t('admin.usage.noData')}</p>
        ) : (
          <UsageChart
            id="usage-chart"
            points={data.days}
            metric={metric}
            labels={{
              title: t('admin.usage.chartTitle', { metric: metricLabel }),
              table: t('admin.usage.chartTable'),
              day: t('admin.usage.day'),
              bar: (day, model, value) => t('admin.usage.barTitle', { day, model, value }),
              format: (v) => (metric === 'cost' ? formatCost(locale, String(v), currency) : int(v)),
            }}
          />
        )}
      </section>

      <DataTable
        caption={t('admin.usage.byModel')}
        numeric={[1, 2, 3, 4, 5, 6, 7, 8, 9]}
        head={[
          t('admin.usage.model'),
          t('admin.usage.requests'),
          t('admin.usage.promptTokens'),
          t('admin.usage.cachedTokens'),
          t('admin.usage.completionTokens'),
          t('admin.usage.reasoningTokens'),
          t('admin.usage.cost'),
          t('admin.usage.errorRate'),
          t('admin.usage.ttftP50'),
          t('admin.usage.ttftP95'),
        ]}
        rows={data.models.map((m) => [
          m.model,
          int(m.requests),
          int(m.promptTokens),
          int(m.cachedTokens),
          int(m.completionTokens),
          int(m.reasoningTokens),
          <Costs key="c" costs={m.costs} locale={locale} />,
          formatPercent(locale, m.errors, m.requests),
          ms(m.ttftP50),
          ms(m.ttftP95),
        ])}
      />
      <p className="-mt-6 text-xs text-fg-faint">{t('admin.usage.ttftNote')}</p>

      <div className="flex flex-col gap-1">
        <DataTable
          caption={t('admin.usage.byUser')}
          numeric={[1, 2, 3, 4, 5]}
          head={[
            t('admin.usage.user'),
            t('admin.usage.requests'),
            t('admin.usage.promptTokens'),
            t('admin.usage.completionTokens'),
            t('admin.usage.cost'),
            t('admin.usage.errorRate'),
          ]}
          rows={data.users.map((u) => [
            <Link key="u" href={`/admin/usage/users/${u.userId}?${new URLSearchParams(periodQuery)}`} className="text-accent hover:underline">
              {u.email}
            </Link>,
            int(u.requests),
            int(u.promptTokens),
            int(u.completionTokens),
            <Costs key="c" costs={u.costs} locale={locale} />,
            formatPercent(locale, u.errors, u.requests),
          ])}
        />
        {data.users.length >= USER_ROWS && <p className="text-xs text-fg-faint">{t('admin.usage.userLimit', { n: USER_ROWS })}</p>}
      </div>
      {keys.length > 0 && <KeyUsageTable rows={keys} caption={t('apiKeys.usage.byKey')} withOwner locale={locale} currency={currency} t={t} />}
    </>
  );
}

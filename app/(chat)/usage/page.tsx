import { formatCost, formatInt } from '@/components/admin/format';
import { KeyUsageTable } from '@/components/admin/key-usage-table';
import { requireUser } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { trimDecimal } from '@/lib/format';
import { keyUsage } from '@/lib/gateway/usage';
import { getI18n } from '@/lib/i18n/server';
import { monthStart, nextMonthStart } from '@/lib/usage/month';
import { monthUsage, overLimit } from '@/lib/usage/quota';

export const dynamic = 'force-dynamic';

/** The signed-in user's own usage this (UTC) month, with their limits and the reset date. */
export default async function MyUsagePage() {
  const user = await requireUser('/usage');
  const prisma = await db();
  const [{ t, locale }, usage, keys] = await Promise.all([
    getI18n(),
    monthUsage(prisma, user.id),
    keyUsage(prisma, { from: monthStart(), to: nextMonthStart() }, config().kimi.currency, user.id),
  ]);
  if (!usage) return null;
  const int = (n: number | bigint) => formatInt(locale, n);
  const cost = (c: string) => formatCost(locale, c, usage.currency);
  const rows = [
    [t('admin.usage.requests'), int(usage.requests)],
    [t('admin.usage.promptTokens'), int(usage.promptTokens)],
    [t('admin.usage.cachedTokens'), int(usage.cachedTokens)],
    [t('admin.usage.completionTokens'), int(usage.completionTokens)],
    [t('admin.usage.reasoningTokens'), int(usage.reasoningTokens)],
    [
      t('admin.usage.tokens'),
      usage.limits.tokens === null ? int(usage.tokens) : t('admin.me.used', { used: int(usage.tokens), limit: int(usage.limits.tokens) }),
    ],
    [
      t('admin.usage.cost'),
      usage.limits.cost === null ? cost(usage.cost) : t('admin.me.used', { used: cost(usage.cost), limit: cost(trimDecimal(usage.limits.cost)) }),
    ],
  ] as const;
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-4 overflow-y-auto p-6">
      <h1 className="text-xl font-semibold">{t('admin.me.title')}</h1>
      {overLimit(usage) && (
        <p role="alert" className="rounded-md bg-amber-100 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {t('admin.me.over')}
        </p>
      )}
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-fg-soft">{label}</dt>
            <dd className="tabular-nums">{value}</dd>
          </div>
        ))}
        {usage.limits.tokens === null && usage.limits.cost === null && (
          <div className="contents">
            <dt className="text-fg-soft">{t('admin.me.limit')}</dt>
            <dd>{t('admin.me.noLimit')}</dd>
          </div>
        )}
      </dl>
      <p className="text-sm text-fg-soft">{t('admin.me.resets', { date: usage.resetsAt.toISOString().slice(0, 10) })}</p>
      {keys.length > 0 && (
        <KeyUsageTable rows={keys} caption={t('apiKeys.usage.mine')} withOwner={false} locale={locale} currency={usage.currency} t={t} />
      )}
    </div>
  );
}

import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { Costs } from '@/components/admin/costs';
import { formatInt } from '@/components/admin/format';
import { PeriodPicker } from '@/components/admin/period-picker';
import { DataTable } from '@/components/admin/table';
import { requireAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { getI18n } from '@/lib/i18n/server';
import { userConversations } from '@/lib/usage/aggregates';
import { isoDate, parsePeriod } from '@/lib/usage/period';

export const dynamic = 'force-dynamic';

export default async function AdminUserUsagePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin('/admin/usage');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const period = parsePeriod(await searchParams);
  const prisma = await db();
  const [{ locale, t }, user, rows] = await Promise.all([
    getI18n(),
    prisma.user.findUnique({ where: { id }, select: { email: true } }),
    userConversations(prisma, id, period),
  ]);
  if (!user) notFound();
  const int = (n: number | bigint) => formatInt(locale, n);
  const periodQuery: Record<string, string> =
    period.range === 'custom'
      ? { range: 'custom', from: isoDate(period.from), to: isoDate(new Date(period.to.getTime() - 1)) }
      : { range: period.range };
  return (
    <>
      <Link href={`/admin/usage?${new URLSearchParams(periodQuery)}`} className="text-sm text-accent hover:underline">
        ← {t('admin.usage.back')}
      </Link>
      <h2 className="text-xl font-semibold">{t('admin.usage.drillDown', { email: user.email })}</h2>
      <PeriodPicker period={period} basePath={`/admin/usage/users/${id}`} t={t} />
      {rows.length === 0 ? (
        <p className="text-sm text-fg-soft">{t('admin.usage.noData')}</p>
      ) : (
        <DataTable
          caption={t('admin.usage.drillDown', { email: user.email })}
          numeric={[1, 2, 3, 4, 5]}
          head={[
            t('admin.usage.conversation'),
            t('admin.usage.requests'),
            t('admin.usage.promptTokens'),
            t('admin.usage.cachedTokens'),
            t('admin.usage.completionTokens'),
            t('admin.usage.cost'),
          ]}
          rows={rows.map((r) => [
            r.conversationId === null ? t('admin.usage.noConversation') : r.title || t('admin.usage.untitled'),
            int(r.requests),
            int(r.promptTokens),
            int(r.cachedTokens),
            int(r.completionTokens),
            <Costs key="c" costs={r.costs} locale={locale} />,
          ])}
        />
      )}
    </>
  );
}

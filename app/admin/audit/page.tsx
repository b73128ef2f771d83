import Link from 'next/link';
import { DataTable } from '@/components/admin/table';
import { buttonClass } from '@/components/ui/button';
import { type AuditFilter, auditKinds, auditValue, listAudit, parseAuditFilter } from '@/lib/admin/audit';
import { requireAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { getI18n } from '@/lib/i18n/server';

export const dynamic = 'force-dynamic';

const field = 'rounded-md border border-line bg-bg px-2 py-1 text-sm';

function query(filter: AuditFilter): string {
  const params = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Every administrative change, newest first: filter by admin, target and kind; pages of 50; CSV export. */
export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin('/admin/audit');
  const prisma = await db();
  const filter = parseAuditFilter(await searchParams);
  const [{ t }, page, kinds] = await Promise.all([getI18n(), listAudit(prisma, filter), auditKinds(prisma)]);
  const { before: _page, ...withoutPage } = filter;
  return (
    <>
      <h2 className="text-xl font-semibold">{t('admin.audit.title')}</h2>
      <p className="text-sm text-fg-soft">{t('admin.audit.intro')}</p>
      <form method="get" action="/admin/audit" className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm">
          {t('admin.audit.actorFilter')}
          <input name="actor" defaultValue={filter.actor ?? ''} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t('admin.audit.targetFilter')}
          <input name="target" defaultValue={filter.target ?? ''} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t('admin.audit.kind')}
          <select name="kind" defaultValue={filter.kind ?? ''} className={field}>
            <option value="">{t('admin.audit.anyKind')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClass('secondary', 'sm')}>
          {t('admin.audit.filter')}
        </button>
        <a href={`/api/admin/audit/export${query(withoutPage)}`} className={buttonClass('secondary', 'sm')} download>
          {t('admin.audit.export')}
        </a>
      </form>
      {page.rows.length === 0 ? (
        <p className="text-sm text-fg-soft">{t('admin.audit.empty')}</p>
      ) : (
        <DataTable
          caption={t('admin.audit.title')}
          head={[
            t('admin.audit.at'),
            t('admin.audit.actor'),
            t('admin.audit.kind'),
            t('admin.audit.target'),
            t('admin.audit.before'),
            t('admin.audit.after'),
          ]}
          rows={page.rows.map((r) => [
            <time key="at" dateTime={r.at.toISOString()}>
              {r.at.toISOString().replace('T', ' ').slice(0, 19)}
            </time>,
            r.actorEmail,
            <code key="k">{r.kind}</code>,
            r.targetLabel || r.target,
            <code key="b" className="break-all">
              {auditValue(r.before)}
            </code>,
            <code key="a" className="break-all">
              {auditValue(r.after)}
            </code>,
          ])}
        />
      )}
      <nav className="flex gap-2" aria-label={t('admin.audit.title')}>
        {filter.before && (
          <Link href={`/admin/audit${query(withoutPage)}`} className={buttonClass('secondary', 'sm')}>
            {t('admin.audit.newer')}
          </Link>
        )}
        {page.nextBefore && (
          <Link href={`/admin/audit${query({ ...withoutPage, before: page.nextBefore })}`} className={buttonClass('secondary', 'sm')}>
            {t('admin.audit.older')}
          </Link>
        )}
      </nav>
    </>
  );
}

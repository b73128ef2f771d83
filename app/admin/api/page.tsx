import { FormError } from '@/components/admin/form-error';
import { DataTable } from '@/components/admin/table';
import { routes } from '@/components/api/client';
import { buttonClass } from '@/components/ui/button';
import { requireAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { listAllApiKeys, listUserApiAccess } from '@/lib/gateway/admin';
import { readApiEnabled } from '@/lib/gateway/switches';
import { getI18n } from '@/lib/i18n/server';

export const dynamic = 'force-dynamic';

const BACK = '/admin/api';

/** API access: the instance switch, each user's switch, and every personal key (revocable). Plain forms. */
export default async function AdminApiPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin(BACK);
  const query = await searchParams;
  const prisma = await db();
  const [{ t, locale }, enabled, users, keys] = await Promise.all([
    getI18n(),
    readApiEnabled(prisma),
    listUserApiAccess(prisma),
    listAllApiKeys(prisma),
  ]);
  const date = (iso: string | null, fallback: string) => (iso ? new Date(iso).toLocaleString(locale) : fallback);
  const now = Date.now();
  const error = typeof query.error === 'string' ? query.error : undefined;
  const switchForm = (fields: Record<string, string>, on: boolean, label: string) => (
    <form method="post" action={routes.adminApiAccess}>
      <input type="hidden" name="back" value={BACK} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="enabled" value={on ? 'off' : 'on'} />
      <button type="submit" className={buttonClass('secondary', 'sm')} aria-label={label}>
        {on ? t('apiKeys.admin.turnOff') : t('apiKeys.admin.turnOn')}
      </button>
    </form>
  );
  return (
    <>
      <h2 className="text-xl font-semibold">{t('apiKeys.admin.title')}</h2>
      <p className="-mt-4 text-sm text-fg-soft">{t('apiKeys.admin.description')}</p>
      {error === 'key_revoked' ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {t('apiKeys.admin.key_revoked')}
        </p>
      ) : (
        <FormError error={error} t={t} />
      )}
      <section aria-labelledby="api-instance" className="flex flex-wrap items-center gap-4">
        <h3 id="api-instance" className="text-base font-semibold">
          {t('apiKeys.admin.instance')}
        </h3>
        <span data-testid="api-instance-state">{enabled ? t('apiKeys.admin.on') : t('apiKeys.admin.off')}</span>
        {switchForm({ scope: 'instance' }, enabled, t('apiKeys.admin.instance'))}
      </section>
      <DataTable
        caption={t('apiKeys.admin.users')}
        numeric={[2]}
        head={[t('apiKeys.admin.user'), t('apiKeys.admin.access'), t('apiKeys.admin.openKeys'), '']}
        rows={users.map((u) => [
          u.email,
          u.apiAccess ? t('apiKeys.admin.on') : t('apiKeys.admin.off'),
          String(u.openKeys),
          switchForm({ scope: 'user', userId: u.id }, u.apiAccess, `${t('apiKeys.admin.access')}: ${u.email}`),
        ])}
      />
      {keys.length === 0 ? (
        <p className="text-sm text-fg-faint">{t('apiKeys.admin.noKeys')}</p>
      ) : (
        <DataTable
          caption={t('apiKeys.admin.keys')}
          head={[
            t('apiKeys.name'),
            t('apiKeys.admin.owner'),
            t('apiKeys.key'),
            t('apiKeys.created'),
            t('apiKeys.expires'),
            t('apiKeys.lastUsed'),
            t('apiKeys.status'),
            '',
          ]}
          rows={keys.map((k) => {
            const status = k.revokedAt ? 'revoked' : k.expiresAt && Date.parse(k.expiresAt) <= now ? 'expired' : 'active';
            return [
              k.name,
              k.email,
              <code key="p" className="font-mono text-xs">{`${k.prefix}…`}</code>,
              date(k.createdAt, ''),
              date(k.expiresAt, t('apiKeys.expiryNever')),
              date(k.lastUsedAt, t('apiKeys.neverUsed')),
              t(`apiKeys.${status}`),
              status === 'active' ? (
                <form key="r" method="post" action={routes.adminApiKey(k.id)}>
                  <input type="hidden" name="back" value={BACK} />
                  <input type="hidden" name="action" value="revoke" />
                  <button type="submit" className={buttonClass('secondary', 'sm')} aria-label={`${t('apiKeys.revoke')}: ${k.name}`}>
                    {t('apiKeys.revoke')}
                  </button>
                </form>
              ) : (
                ''
              ),
            ];
          })}
        />
      )}
    </>
  );
}

import { FormError } from '@/components/admin/form-error';
import { NewLink } from '@/components/admin/new-link';
import { DataTable } from '@/components/admin/table';
import { buttonClass } from '@/components/ui/button';
import { listInvitations } from '@/lib/admin/access';
import { listUsers } from '@/lib/admin/users';
import { requireAdmin } from '@/lib/auth/session';
import { readSignupSetting, SIGNUP_POLICIES } from '@/lib/auth/signup-policy';
import { db } from '@/lib/db';
import { getI18n } from '@/lib/i18n/server';
import { NO_LIMITS } from '@/lib/usage/limits';

export const dynamic = 'force-dynamic';

/** Who gets in: the sign-up policy, the email-domain allow-list, and the accounts waiting for approval. */
export default async function AdminAccessPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin('/admin/access');
  const prisma = await db();
  const [{ t }, setting, query, users, invitations] = await Promise.all([
    getI18n(),
    readSignupSetting(prisma),
    searchParams,
    listUsers(prisma, NO_LIMITS),
    listInvitations(prisma),
  ]);
  const pending = users.filter((u) => u.pending && !u.disabled);
  return (
    <>
      <h2 className="text-xl font-semibold">{t('admin.access.title')}</h2>
      <FormError error={typeof query.error === 'string' ? query.error : undefined} t={t} />
      <section className="flex flex-col gap-2 rounded-lg border border-line p-4">
        <h3 className="font-semibold">{t('admin.access.policyTitle')}</h3>
        <p className="text-sm text-fg-soft">{t('admin.access.policyIntro')}</p>
        <form method="post" action="/api/admin/settings" className="flex flex-col gap-3">
          <input type="hidden" name="back" value="/admin/access" />
          <input type="hidden" name="setting" value="signupPolicy" />
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 text-sm font-medium">{t('admin.access.policy')}</legend>
            {SIGNUP_POLICIES.map((p) => (
              <label key={p} className="flex items-center gap-2 text-sm">
                <input type="radio" name="policy" value={p} defaultChecked={setting.policy === p} />
                {t(`admin.access.policies.${p}`)}
              </label>
            ))}
          </fieldset>
          <label className="flex flex-col gap-1 text-sm">
            {t('admin.access.domains')}
            <textarea
              name="domains"
              rows={2}
              defaultValue={setting.allowedDomains.join(', ')}
              className="rounded-md border border-line bg-bg px-2 py-1 font-mono text-sm"
            />
            <span className="text-xs text-fg-faint">{t('admin.access.domainsHint')}</span>
          </label>
          <div>
            <button type="submit" className={buttonClass('primary', 'sm')}>
              {t('admin.access.save')}
            </button>
          </div>
        </form>
      </section>
      <section className="flex flex-col gap-2 rounded-lg border border-line p-4">
        <h3 className="font-semibold">{t('admin.access.invitesTitle')}</h3>
        <p className="text-sm text-fg-soft">{t('admin.access.invitesIntro')}</p>
        <NewLink link={typeof query.link === 'string' ? query.link : undefined} t={t} label={t('admin.access.newLink')} />
        <form method="post" action="/api/admin/invitations" className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="back" value="/admin/access" />
          <label className="flex flex-col gap-1 text-sm">
            {t('admin.access.inviteRole')}
            <select name="role" defaultValue="user" className="rounded-md border border-line bg-bg px-2 py-1">
              <option value="user">{t('admin.users.roles.user')}</option>
              <option value="admin">{t('admin.users.roles.admin')}</option>
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm">
            {t('admin.access.inviteDays')}
            <input name="days" type="number" min={1} max={30} defaultValue={7} className="w-20 rounded-md border border-line bg-bg px-2 py-1" />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            {t('admin.access.inviteNote')}
            <input name="note" maxLength={200} className="rounded-md border border-line bg-bg px-2 py-1" />
          </label>
          <button type="submit" className={buttonClass('secondary', 'sm')}>
            {t('admin.access.createInvite')}
          </button>
        </form>
        {invitations.length === 0 ? (
          <p className="text-sm text-fg-soft">{t('admin.access.noInvites')}</p>
        ) : (
          <DataTable
            caption={t('admin.access.invitesTitle')}
            head={[t('admin.access.inviteNote'), t('admin.access.inviteRole'), t('admin.access.expires'), t('admin.access.state'), '']}
            rows={invitations.map((i) => [
              i.note || '—',
              t(`admin.users.roles.${i.role}`),
              i.expiresAt.toISOString().replace('T', ' ').slice(0, 16),
              t(`admin.access.states.${i.state}`),
              i.state === 'open' ? (
                <form key="r" method="post" action={`/api/admin/invitations/${i.id}`}>
                  <input type="hidden" name="back" value="/admin/access" />
                  <input type="hidden" name="action" value="revoke" />
                  <button type="submit" className={buttonClass('danger', 'sm')}>
                    {t('admin.access.revoke')}
                  </button>
                </form>
              ) : (
                ''
              ),
            ])}
          />
        )}
      </section>
      <section className="flex flex-col gap-2">
        <h3 className="font-semibold">{t('admin.access.pendingTitle')}</h3>
        {pending.length === 0 ? (
          <p className="text-sm text-fg-soft">{t('admin.access.noPending')}</p>
        ) : (
          <DataTable
            caption={t('admin.access.pendingTitle')}
            head={[t('admin.users.email'), '']}
            rows={pending.map((u) => [
              u.email,
              <form key="a" method="post" action={`/api/admin/users/${u.id}`}>
                <input type="hidden" name="back" value="/admin/access" />
                <input type="hidden" name="action" value="approve" />
                <button type="submit" className={buttonClass('primary', 'sm')} aria-label={`${t('admin.users.approve')} ${u.email}`}>
                  {t('admin.users.approve')}
                </button>
              </form>,
            ])}
          />
        )}
      </section>
    </>
  );
}

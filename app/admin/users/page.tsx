import { FormError } from '@/components/admin/form-error';
import { formatCost, formatInt } from '@/components/admin/format';
import { NewLink } from '@/components/admin/new-link';
import { DataTable } from '@/components/admin/table';
import { buttonClass } from '@/components/ui/button';
import { type AdminUserRow, listUsers } from '@/lib/admin/users';
import { requireAdmin } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { getExtractor } from '@/lib/documents/extractor-setting';
import { trimDecimal } from '@/lib/format';
import type { Translate } from '@/lib/i18n';
import { getI18n } from '@/lib/i18n/server';
import { type Limits, readDefaultLimits } from '@/lib/usage/limits';

export const dynamic = 'force-dynamic';

const field = 'w-28 rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg';

function LimitFields({ limits, t, currency, placeholder }: { limits: Limits; t: Translate; currency: string; placeholder: string }) {
  return (
    <>
      <label className="flex flex-col text-xs text-fg-soft">
        {t('admin.users.tokenLimit')}
        <input name="tokens" type="number" min={0} step={1} defaultValue={limits.tokens ?? ''} placeholder={placeholder} className={field} />
      </label>
      <label className="flex flex-col text-xs text-fg-soft">
        {t('admin.users.costLimit', { currency })}
        <input
          name="cost"
          inputMode="decimal"
          pattern="\d{1,10}(\.\d{1,10})?"
          defaultValue={limits.cost ?? ''}
          placeholder={placeholder}
          className={field}
        />
      </label>
    </>
  );
}

function UserActions({ user, t, currency }: { user: AdminUserRow; t: Translate; currency: string }) {
  const action = `/api/admin/users/${user.id}`;
  return (
    <div className="flex flex-wrap items-end gap-2" role="group" aria-label={t('admin.users.actions', { email: user.email })}>
      {user.pending && (
        <form method="post" action={action}>
          <input type="hidden" name="back" value="/admin/users" />
          <input type="hidden" name="action" value="approve" />
          <button type="submit" className={buttonClass('primary', 'sm')}>
            {t('admin.users.approve')}
          </button>
        </form>
      )}
      <form method="post" action={action}>
        <input type="hidden" name="back" value="/admin/users" />
        <input type="hidden" name="action" value="role" />
        <input type="hidden" name="role" value={user.role === 'admin' ? 'user' : 'admin'} />
        <button type="submit" className={buttonClass('secondary', 'sm')}>
          {user.role === 'admin' ? t('admin.users.makeUser') : t('admin.users.makeAdmin')}
        </button>
      </form>
      <form method="post" action={action}>
        <input type="hidden" name="back" value="/admin/users" />
        <input type="hidden" name="action" value="disabled" />
        <input type="hidden" name="disabled" value={user.disabled ? 'false' : 'true'} />
        <button type="submit" className={buttonClass(user.disabled ? 'secondary' : 'danger', 'sm')}>
          {user.disabled ? t('admin.users.enable') : t('admin.users.disable')}
        </button>
      </form>
      <form method="post" action={action}>
        <input type="hidden" name="back" value="/admin/users" />
        <input type="hidden" name="action" value="resetLink" />
        <button type="submit" className={buttonClass('secondary', 'sm')}>
          {t('admin.users.resetLink')}
        </button>
      </form>
      <form method="post" action={action} className="flex items-end gap-2">
        <input type="hidden" name="back" value="/admin/users" />
        <input type="hidden" name="action" value="limits" />
        <LimitFields limits={user.own} t={t} currency={currency} placeholder={t('admin.users.defaultHint')} />
        <button type="submit" className={buttonClass('secondary', 'sm')}>
          {t('admin.users.saveLimits')}
        </button>
      </form>
    </div>
  );
}

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin('/admin/users');
  const prisma = await db();
  const currency = config().kimi.currency;
  const [{ t, locale }, defaults, query, extractor] = await Promise.all([getI18n(), readDefaultLimits(prisma), searchParams, getExtractor()]);
  const users = await listUsers(prisma, defaults);
  const int = (n: number | bigint) => formatInt(locale, n);
  const limitText = (l: Limits) =>
    [l.tokens === null ? null : int(l.tokens), l.cost === null ? null : formatCost(locale, trimDecimal(l.cost), currency)]
      .filter(Boolean)
      .join(' · ') || t('admin.users.unlimited');
  return (
    <>
      <h2 className="text-xl font-semibold">{t('admin.users.title')}</h2>
      <FormError error={typeof query.error === 'string' ? query.error : undefined} t={t} />
      <NewLink link={typeof query.link === 'string' ? query.link : undefined} t={t} label={t('admin.users.resetLinkIntro')} />
      <section className="flex flex-col gap-2 rounded-lg border border-line p-4">
        <h3 className="font-semibold">{t('admin.users.createTitle')}</h3>
        <form method="post" action="/api/admin/users" className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="back" value="/admin/users" />
          <label className="flex flex-col text-xs text-fg-soft">
            {t('admin.users.email')}
            <input name="email" type="email" required className="rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg" />
          </label>
          <label className="flex flex-col text-xs text-fg-soft">
            {t('admin.users.password')}
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              required
              className="rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg"
            />
          </label>
          <label className="flex flex-col text-xs text-fg-soft">
            {t('admin.users.role')}
            <select name="role" defaultValue="user" className="rounded-md border border-line bg-surface px-2 py-1 text-sm text-fg">
              <option value="user">{t('admin.users.roles.user')}</option>
              <option value="admin">{t('admin.users.roles.admin')}</option>
            </select>
          </label>
          <button type="submit" className={buttonClass('secondary', 'sm')}>
            {t('admin.users.create')}
          </button>
        </form>
      </section>
      <section className="flex flex-col gap-2 rounded-lg border border-line p-4">
        <h3 className="font-semibold">{t('admin.users.defaults')}</h3>
        <p className="text-sm text-fg-soft">{t('admin.users.defaultsIntro')}</p>
        <form method="post" action="/api/admin/settings" className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="back" value="/admin/users" />
          <input type="hidden" name="setting" value="quotaDefault" />
          <LimitFields limits={defaults} t={t} currency={currency} placeholder={t('admin.users.defaultsEmpty')} />
          <button type="submit" className={buttonClass('secondary', 'sm')}>
            {t('admin.users.saveDefaults')}
          </button>
        </form>
      </section>
      <section className="flex flex-col gap-2 rounded-lg border border-line p-4">
        <h3 className="font-semibold">{t('admin.documents.title')}</h3>
        <p className="text-sm text-fg-soft">{t('admin.documents.intro')}</p>
        <form method="post" action="/api/documents/settings" className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="back" value="/admin/users" />
          <label className="flex flex-col gap-1 text-sm">
            {t('admin.documents.extractor')}
            <select name="extractor" defaultValue={extractor} className="rounded-md border border-line bg-bg px-2 py-1">
              <option value="local">{t('admin.documents.local')}</option>
              <option value="kimi">{t('admin.documents.kimi')}</option>
            </select>
          </label>
          <button type="submit" className={buttonClass('secondary', 'sm')}>
            {t('admin.documents.save')}
          </button>
        </form>
      </section>
      <DataTable
        caption={t('admin.users.title')}
        numeric={[3, 4]}
        head={[
          t('admin.users.email'),
          t('admin.users.role'),
          t('admin.users.status'),
          t('admin.users.monthTokens'),
          t('admin.users.monthCost'),
          t('admin.users.limits'),
          '',
        ]}
        rows={users.map((u) => [
          u.email,
          t(`admin.users.roles.${u.role}`),
          u.disabled ? t('admin.users.disabled') : u.pending ? t('admin.users.pending') : t('admin.users.active'),
          int(u.monthTokens),
          formatCost(locale, u.monthCost, currency),
          limitText(u.effective),
          <UserActions key="a" user={u} t={t} currency={currency} />,
        ])}
      />
    </>
  );
}

import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ApiKeys } from '@/components/account/api-keys';
import { SharedLinks } from '@/components/share/shared-links';
import { buttonClass } from '@/components/ui/button';
import { requireUser } from '@/lib/auth/session';
import { modelCatalogView } from '@/lib/chat/models';
import { db } from '@/lib/db';
import { listApiKeys } from '@/lib/gateway/keys';
import { readApiEnabled } from '@/lib/gateway/switches';
import { getI18n } from '@/lib/i18n/server';
import { readPreferences } from '@/lib/preferences/store';
import { signOutEverywhereAction } from './actions';
import { ChangePasswordForm } from './change-password-form';
import { PreferencesForm } from './preferences-form';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t('account.title') };
}

/** Where scripts point OPENAI_BASE_URL: this instance's /api/v1, as the browser reached it. */
async function gatewayUrl(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}/api/v1`;
}

/** The signed-in user's account: who they are signed in as, their defaults, changing their password, personal API keys. */
export default async function AccountPage() {
  const [user, { t }] = await Promise.all([requireUser('/account'), getI18n()]);
  const prisma = await db();
  const [keys, row, instanceOn, baseUrl, preferences, catalog] = await Promise.all([
    listApiKeys(prisma, user.id),
    prisma.user.findUnique({ where: { id: user.id }, select: { apiAccess: true } }),
    readApiEnabled(prisma),
    gatewayUrl(),
    readPreferences(user.id),
    modelCatalogView(),
  ]);
  const notice = !instanceOn ? 'instanceOff' : row?.apiAccess === false ? 'accessOff' : null;
  return (
    <div className="min-h-0 flex-1 overflow-y-auto">
      <div className="mx-auto flex w-full max-w-2xl flex-col gap-6 px-6 pt-14 pb-10 md:pt-8">
        <header>
          <h1 className="text-xl font-semibold">{t('account.title')}</h1>
          <p className="mt-1 text-sm text-fg-soft">{t('account.subtitle')}</p>
        </header>

        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-fg-soft">{t('account.email')}</dt>
          <dd className="min-w-0 truncate" title={user.email}>
            {user.email}
          </dd>
          <dt className="text-fg-soft">{t('account.name')}</dt>
          <dd className="min-w-0 truncate">{user.name ?? <span className="text-fg-faint">{t('account.noName')}</span>}</dd>
        </dl>

        <section aria-labelledby="preferences-heading" className="rounded-2xl border border-line bg-surface p-6 shadow-sm">
          <h2 id="preferences-heading" className="text-base font-semibold">
            {t('preferences.title')}
          </h2>
          <p className="mt-1 mb-5 text-sm text-fg-soft">{t('preferences.description')}</p>
          <PreferencesForm initial={preferences} models={catalog.models} instanceDefault={catalog.defaultModel} />
        </section>

        <section aria-labelledby="change-password-heading" className="rounded-2xl border border-line bg-surface p-6 shadow-sm">
          <h2 id="change-password-heading" className="text-base font-semibold">
            {t('account.password.title')}
          </h2>
          <p className="mt-1 mb-5 text-sm text-fg-soft">{t('account.password.description')}</p>
          <div className="max-w-sm">
            <ChangePasswordForm email={user.email} />
          </div>
        </section>

        <section aria-labelledby="api-keys-heading" className="rounded-2xl border border-line bg-surface p-6 shadow-sm">
          <h2 id="api-keys-heading" className="mb-1 text-base font-semibold">
            {t('apiKeys.title')}
          </h2>
          <ApiKeys initial={keys} baseUrl={baseUrl} notice={notice} />
        </section>

        <section aria-labelledby="sessions-heading" className="rounded-2xl border border-line bg-surface p-6 shadow-sm">
          <h2 id="sessions-heading" className="text-base font-semibold">
            {t('account.sessions.title')}
          </h2>
          <p className="mt-1 mb-5 text-sm text-fg-soft">{t('account.sessions.description')}</p>
          <form action={signOutEverywhereAction}>
            <button type="submit" className={buttonClass('secondary')}>
              {t('account.sessions.submit')}
            </button>
          </form>
        </section>

        <SharedLinks />
      </div>
    </div>
  );
}

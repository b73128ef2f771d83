import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { buttonClass } from '@/components/ui/button';
import { signOutAction } from '@/lib/auth/actions';
import { getCurrentUser } from '@/lib/auth/session';
import { getI18n } from '@/lib/i18n/server';
import { AuthHeader } from '../auth-page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t('auth.pending.title') };
}

/** What a user waiting for an admin's approval sees instead of every other page (lib/auth/session requireUser). */
export default async function PendingPage() {
  const user = await getCurrentUser();
  if (!user) redirect('/sign-in');
  if (!user.pending) redirect('/');
  const { t } = await getI18n();
  return (
    <>
      <AuthHeader title={t('auth.pending.title')} subtitle={t('auth.pending.body', { email: user.email })} />
      <p className="mb-6 text-sm text-fg-soft">{t('auth.pending.hint')}</p>
      <div className="flex gap-2">
        <a href="/pending" className={buttonClass('primary', 'sm')}>
          {t('auth.pending.reload')}
        </a>
        <form action={signOutAction}>
          <button type="submit" className={buttonClass('secondary', 'sm')}>
            {t('auth.pending.signOut')}
          </button>
        </form>
      </div>
    </>
  );
}

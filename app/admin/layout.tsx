import Link from 'next/link';
import type { ReactNode } from 'react';
import { pendingCount } from '@/lib/admin/users';
import { requireAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { getI18n } from '@/lib/i18n/server';

/** The admin shell. Each page checks the role itself too: layouts and pages render independently. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const [, { t }] = await Promise.all([requireAdmin('/admin/usage'), getI18n()]);
  const pending = await pendingCount(await db());
  const links = [
    ['/admin/usage', t('admin.nav.usage')],
    ['/admin/prices', t('admin.nav.prices')],
    ['/admin/users', t('admin.nav.users')],
    ['/admin/access', t('admin.nav.access')],
    ['/admin/api', t('apiKeys.admin.nav')],
    ['/admin/audit', t('admin.nav.audit')],
  ] as const;
  return (
    <div className="min-h-dvh bg-bg text-fg">
      <header className="flex flex-wrap items-center gap-4 border-b border-line px-6 py-3">
        <h1 className="text-lg font-semibold">{t('admin.title')}</h1>
        <nav aria-label={t('admin.nav.label')} className="flex gap-1">
          {links.map(([href, label]) => (
            <Link key={href} href={href} className="rounded-md px-3 py-1.5 text-sm text-fg-soft hover:bg-muted hover:text-fg">
              {label}
            </Link>
          ))}
        </nav>
        {pending > 0 && (
          <Link
            href="/admin/access"
            data-testid="pending-badge"
            className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200"
          >
            {t('admin.nav.pendingBadge', { count: pending })}
          </Link>
        )}
        <Link href="/" className="ml-auto text-sm text-fg-soft hover:text-fg">
          {t('admin.nav.backToChat')}
        </Link>
      </header>
      <main className="mx-auto flex max-w-6xl flex-col gap-8 px-6 py-6">{children}</main>
    </div>
  );
}

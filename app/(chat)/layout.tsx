import type { ReactNode } from 'react';
import { KeyboardShortcuts } from '@/components/shortcuts/keyboard-shortcuts';
import { ShortcutsButton } from '@/components/shortcuts/shortcuts-button';
import { LanguageSwitcher } from '@/components/sidebar/language-switcher';
import { Sidebar } from '@/components/sidebar/sidebar';
import { LogOutIcon } from '@/components/ui/icons';
import { IntentLink } from '@/components/ui/intent-link';
import { pendingCount } from '@/lib/admin/users';
import { signOutAction } from '@/lib/auth/actions';
import { requireUser } from '@/lib/auth/session';
import { listConversations } from '@/lib/chat/conversations';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { getI18n } from '@/lib/i18n/server';

// Per-user pages: never prerendered at build time (which would also open the database).
export const dynamic = 'force-dynamic';

/** The chat shell: the conversation list (nav) beside the thread (main). */
export default async function ChatLayout({ children }: { children: ReactNode }) {
  const [user, { t }] = await Promise.all([requireUser(), getI18n()]);
  // Admins see who waits for their approval from the chat too (one count, for admins only).
  const [page, pending] = await Promise.all([listConversations(user.id), user.role === 'admin' ? db().then(pendingCount) : 0]);
  const simulator = config().kimi.mode === 'simulator';

  const footer = (
    <div className="flex flex-col gap-2">
      <p className="truncate text-sm text-fg-soft" title={user.email}>
        <span className="sr-only">{t('chat.signedInAs', { email: '' })}</span>
        {user.email}
      </p>
      <div className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
        <IntentLink href="/usage" className="text-fg-soft underline-offset-2 hover:text-fg hover:underline">
          {t('admin.me.title')}
        </IntentLink>
        {user.role === 'admin' ? (
          <IntentLink href="/admin/usage" className="text-fg-soft underline-offset-2 hover:text-fg hover:underline">
            {t('admin.title')}
          </IntentLink>
        ) : null}
        {pending > 0 ? (
          <IntentLink
            href="/admin/access"
            data-testid="sidebar-pending-badge"
            className="rounded-full bg-amber-100 px-2 text-xs font-medium leading-5 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200"
          >
            {t('admin.nav.pendingBadge', { count: pending })}
          </IntentLink>
        ) : null}
      </div>
      <div className="-ml-2">
        <ShortcutsButton />
      </div>
      <div className="flex items-center justify-between gap-2">
        <LanguageSwitcher />
        <form action={signOutAction}>
          <button type="submit" className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-fg-soft hover:bg-muted hover:text-fg">
            <LogOutIcon />
            {t('common.signOut')}
          </button>
        </form>
      </div>
    </div>
  );

  return (
    <div className="flex h-dvh overflow-hidden">
      <Sidebar initialPage={page} simulator={simulator} footer={footer} />
      <main className="flex min-w-0 flex-1 flex-col">{children}</main>
      <KeyboardShortcuts />
    </div>
  );
}

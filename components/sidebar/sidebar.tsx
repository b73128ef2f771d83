'use client';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useConversationList } from '@/components/hooks/use-conversation-list';
import { useI18n } from '@/components/i18n-provider';
import { useShortcut } from '@/components/shortcuts/use-shortcut';
import { Button, buttonClass } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Dialog } from '@/components/ui/dialog';
import { CloseIcon, MenuIcon, PlusIcon, SearchIcon } from '@/components/ui/icons';
import { IntentLink } from '@/components/ui/intent-link';
import type { ConversationPage, ConversationSummary } from '@/lib/chat/types';
import { ArchivedView } from './archived-view';
import { ConversationGroups } from './conversation-groups';
import { ConversationRow } from './conversation-row';
import { downloadConversation } from './export-conversation';
import { ImportButton } from './import-button';
import { SearchDialog } from './search-dialog';
import { MESSAGE_SEARCH_BUTTON_ID, openMessageSearch } from './search-events';
import { ShareDialog } from './share-dialog';

export interface SidebarProps {
  initialPage: ConversationPage;
  /** Keyless mode: show the Simulator badge. */
  simulator: boolean;
  /** Rendered at the bottom, under the Account link: the user's email, language switcher, sign out (server-rendered). */
  footer: ReactNode;
}

export function Sidebar({ initialPage, simulator, footer }: SidebarProps) {
  const { t } = useI18n();
  const pathname = usePathname();
  const router = useRouter();
  const navId = useId();
  const [open, setOpen] = useState(false); // narrow screens only
  const list = useConversationList(initialPage);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  // Ctrl/Cmd+K: search in every message (the dialog); the box in the list filters titles.
  useShortcut('search', () => {
    openMessageSearch();
    return true;
  });
  const [sharing, setSharing] = useState<string | null>(null);
  const [view, setView] = useState<'active' | 'archived'>('active');
  const [deletedIds, setDeletedIds] = useState<ReadonlySet<string>>(new Set());
  const [actionFailed, setActionFailed] = useState(false);

  // Close the drawer on navigation (narrow screens).
  // biome-ignore lint/correctness/useExhaustiveDependencies: a navigation (a new pathname) closes the drawer.
  useEffect(() => setOpen(false), [pathname]);

  const rename = (conversation: ConversationSummary, title: string) => {
    setEditingId(null);
    void list.rename(conversation, title);
  };

  const remove = async (conversation: ConversationSummary) => {
    setDeleting(null);
    if (!(await list.remove(conversation))) return;
    setDeletedIds((current) => new Set([...current, conversation.id]));
    if (pathname === `/c/${conversation.id}`) router.push('/');
  };

  const archive = async (conversation: ConversationSummary) => {
    if ((await list.archive(conversation)) && pathname === `/c/${conversation.id}`) router.push('/');
  };

  const exportAs = async (conversation: ConversationSummary, format: 'markdown' | 'json') => {
    setActionFailed(!(await downloadConversation(conversation.id, format, t)));
  };

  const row = (c: ConversationSummary) => (
    <ConversationRow
      key={c.id}
      conversation={c}
      active={pathname === `/c/${c.id}`}
      editing={editingId === c.id}
      onStartRename={() => setEditingId(c.id)}
      onRename={(title) => rename(c, title)}
      onCancelRename={() => setEditingId(null)}
      onDelete={() => setDeleting(c)}
      menuItems={[
        { label: c.pinned ? t('library.unpin') : t('library.pin'), onSelect: () => void list.pin(c, !c.pinned) },
        { label: t('library.archive'), onSelect: () => void archive(c) },
        { label: t('library.share'), onSelect: () => setSharing(c.id) },
        { label: t('library.exportMarkdown'), onSelect: () => void exportAs(c, 'markdown') },
        { label: t('library.exportJson'), onSelect: () => void exportAs(c, 'json') },
      ]}
    />
  );

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={t('chat.openSidebar')}
        aria-controls={navId}
        aria-expanded={open}
        className={cn(buttonClass('ghost', 'icon'), 'fixed top-2.5 left-2.5 z-20 md:hidden')}
      >
        <MenuIcon width={18} height={18} />
      </button>
      {open ? <div className="fixed inset-0 z-30 bg-black/40 md:hidden" onClick={() => setOpen(false)} aria-hidden="true" /> : null}

      <nav
        id={navId}
        aria-label={t('chat.sidebar')}
        className={cn(
          'fixed inset-y-0 left-0 z-40 flex w-72 flex-col border-r border-line bg-sidebar transition-transform md:static md:z-auto md:w-64 md:translate-x-0',
          open ? 'translate-x-0' : '-translate-x-full',
        )}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) setOpen(false);
        }}
      >
        <div className="flex items-center gap-2 px-3 pt-3 pb-2">
          <IntentLink href="/" className="flex items-center gap-2 rounded-md px-1 text-[0.95rem] font-semibold tracking-tight">
            <span aria-hidden="true" className="grid size-7 place-items-center rounded-lg bg-fg text-xs font-bold text-bg">
              K
            </span>
            {t('common.appName')}
          </IntentLink>
          {simulator ? (
            <span
              title={t('common.simulatorHint')}
              className="rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-[0.7rem] font-medium text-amber-800 dark:border-amber-700/60 dark:bg-amber-950/50 dark:text-amber-300"
            >
              {t('common.simulator')}
              <span className="sr-only">: {t('common.simulatorHint')}</span>
            </span>
          ) : null}
          <button
            type="button"
            onClick={() => setOpen(false)}
            aria-label={t('chat.closeSidebar')}
            className={cn(buttonClass('ghost', 'icon-sm'), 'ml-auto md:hidden')}
          >
            <CloseIcon />
          </button>
        </div>

        <div className="flex flex-col gap-2 px-3 pb-2">
          <IntentLink href="/" className={buttonClass('secondary', 'md', 'w-full justify-start')}>
            <PlusIcon />
            {t('chat.newChat')}
          </IntentLink>
          <div className="relative" role="search">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-fg-faint" />
            <input
              type="search"
              aria-label={t('chat.search')}
              placeholder={t('chat.searchPlaceholder')}
              value={list.query}
              onChange={(e) => list.setQuery(e.target.value)}
              className="h-9 w-full rounded-lg border border-line bg-surface pr-2 pl-8 text-sm outline-none placeholder:text-fg-faint focus:border-accent"
            />
          </div>
          <div className="flex gap-1">
            <Button
              id={MESSAGE_SEARCH_BUTTON_ID}
              variant="ghost"
              size="sm"
              className="flex-1 justify-start"
              onClick={openMessageSearch}
              aria-haspopup="dialog"
            >
              <SearchIcon />
              {t('library.searchMessages')}
            </Button>
            <Button
              variant="ghost"
              size="sm"
              aria-pressed={view === 'archived'}
              onClick={() => setView((v) => (v === 'archived' ? 'active' : 'archived'))}
            >
              {view === 'archived' ? t('library.backToChats') : t('library.archived')}
            </Button>
          </div>
        </div>

        <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-2" aria-busy={list.loading}>
          {actionFailed ? (
            <p role="alert" className="px-2 py-2 text-xs text-red-600 dark:text-red-400">
              {t('library.exportFailed')}
            </p>
          ) : null}
          {view === 'archived' ? (
            <ArchivedView activePath={pathname} onRestored={list.restored} onDelete={setDeleting} deletedIds={deletedIds} />
          ) : list.items.length === 0 && list.pinned.length === 0 && !list.loading ? (
            <p className="px-2 py-6 text-center text-sm text-fg-faint">
              {list.searching ? t('chat.noResults', { q: list.activeQuery }) : t('chat.noConversations')}
            </p>
          ) : (
            <ConversationGroups pinned={list.pinned} items={list.items} flat={list.searching} row={row} />
          )}
          {list.failed ? (
            <p role="alert" className="px-2 py-2 text-xs text-red-600 dark:text-red-400">
              {t('chat.loadFailed')}
            </p>
          ) : null}
          {list.nextCursor && view === 'active' ? (
            <div ref={list.sentinelRef} className="px-2 py-2">
              <Button variant="ghost" size="sm" className="w-full" onClick={list.loadMore} disabled={list.loading}>
                {list.loading ? t('common.loading') : t('chat.loadMore')}
              </Button>
            </div>
          ) : null}
        </div>

        <div className="border-t border-line px-3 py-3">
          <div className="-mx-2 mb-1">
            <ImportButton />
          </div>
          <IntentLink
            href="/account"
            aria-current={pathname === '/account' ? 'page' : undefined}
            className={cn(
              '-mx-2 mb-2 flex items-center rounded-lg px-2 py-1.5 text-sm',
              pathname === '/account' ? 'bg-muted font-medium text-fg' : 'text-fg-soft hover:bg-muted/70 hover:text-fg',
            )}
          >
            {t('account.link')}
          </IntentLink>
          {footer}
        </div>
      </nav>

      <SearchDialog />
      <ShareDialog conversationId={sharing} onClose={() => setSharing(null)} />
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        role="alertdialog"
        title={t('chat.deleteTitle')}
        description={deleting ? t('chat.deleteBody', { title: deleting.title || t('chat.untitled') }) : undefined}
        footer={
          <>
            <Button variant="ghost" onClick={() => setDeleting(null)} autoFocus>
              {t('common.cancel')}
            </Button>
            <Button variant="danger" onClick={() => deleting && void remove(deleting)}>
              {t('chat.delete')}
            </Button>
          </>
        }
      />
    </>
  );
}

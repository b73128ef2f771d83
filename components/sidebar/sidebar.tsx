'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { onSidebar } from '@/components/chat/events';
import { useI18n } from '@/components/i18n-provider';
import { Button, buttonClass } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Dialog } from '@/components/ui/dialog';
import { CloseIcon, DotsIcon, MenuIcon, PencilIcon, PlusIcon, SearchIcon, TrashIcon } from '@/components/ui/icons';
import { Menu } from '@/components/ui/menu';
import type { ConversationPage, ConversationSummary } from '@/lib/chat/types';

const PAGE_SIZE = 30;

export interface SidebarProps {
  initialPage: ConversationPage;
  /** Keyless mode: show the Simulator badge. */
  simulator: boolean;
  /** Rendered at the bottom, under the Account link: the user's email, language switcher, sign out (server-rendered). */
  footer: ReactNode;
}

async function fetchPage(q: string, cursor: string | null, signal?: AbortSignal): Promise<ConversationPage> {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (q) params.set('q', q);
  if (cursor) params.set('cursor', cursor);
  const res = await fetch(`/api/conversations?${params}`, { signal });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as ConversationPage;
}

export function Sidebar({ initialPage, simulator, footer }: SidebarProps) {
  const { t } = useI18n();
  const pathname = usePathname();
  const router = useRouter();
  const navId = useId();
  const [open, setOpen] = useState(false); // narrow screens only
  const [items, setItems] = useState<ConversationSummary[]>(initialPage.items);
  const [nextCursor, setNextCursor] = useState<string | null>(initialPage.nextCursor);
  const [query, setQuery] = useState('');
  const [activeQuery, setActiveQuery] = useState('');
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const loadingRef = useRef(false);

  // Close the drawer on navigation (narrow screens).
  useEffect(() => setOpen(false), [pathname]);

  // Debounced server-side search.
  useEffect(() => {
    const q = query.trim();
    if (q === activeQuery) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      fetchPage(q, null, controller.signal)
        .then((page) => {
          setItems(page.items);
          setNextCursor(page.nextCursor);
          setActiveQuery(q);
          setFailed(false);
        })
        .catch((err: unknown) => {
          if ((err as Error).name !== 'AbortError') setFailed(true);
        })
        .finally(() => setLoading(false));
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, activeQuery]);

  const loadMore = useCallback(() => {
    if (!nextCursor || loadingRef.current) return;
    loadingRef.current = true;
    setLoading(true);
    fetchPage(activeQuery, nextCursor)
      .then((page) => {
        setItems((current) => {
          const seen = new Set(current.map((c) => c.id));
          return [...current, ...page.items.filter((c) => !seen.has(c.id))];
        });
        setNextCursor(page.nextCursor);
        setFailed(false);
      })
      .catch(() => setFailed(true))
      .finally(() => {
        loadingRef.current = false;
        setLoading(false);
      });
  }, [nextCursor, activeQuery]);

  // Load the next page when the end of the list scrolls into view.
  const sentinelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinelRef.current;
    if (!el || !nextCursor) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [nextCursor, loadMore]);

  // Live updates from the thread.
  useEffect(
    () =>
      onSidebar((event) => {
        setItems((current) => {
          if (event.type === 'upsert') {
            if (current.some((c) => c.id === event.conversation.id)) return current;
            return [event.conversation, ...current];
          }
          const found = current.find((c) => c.id === event.id);
          if (!found) return current;
          if (event.type === 'title') return current.map((c) => (c.id === event.id ? { ...c, title: event.title } : c));
          const touched = { ...found, updatedAt: new Date().toISOString(), model: event.model ?? found.model };
          return [touched, ...current.filter((c) => c.id !== event.id)];
        });
      }),
    [],
  );

  const rename = async (conversation: ConversationSummary, title: string) => {
    setEditingId(null);
    const value = title.trim();
    if (!value || value === conversation.title) return;
    setItems((current) => current.map((c) => (c.id === conversation.id ? { ...c, title: value } : c)));
    const res = await fetch(`/api/conversations/${encodeURIComponent(conversation.id)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: value }),
    }).catch(() => null);
    if (!res?.ok) setItems((current) => current.map((c) => (c.id === conversation.id ? { ...c, title: conversation.title } : c)));
  };

  const remove = async (conversation: ConversationSummary) => {
    setDeleting(null);
    const res = await fetch(`/api/conversations/${encodeURIComponent(conversation.id)}`, { method: 'DELETE' }).catch(() => null);
    if (!res || (!res.ok && res.status !== 404)) {
      setFailed(true);
      return;
    }
    setItems((current) => current.filter((c) => c.id !== conversation.id));
    if (pathname === `/c/${conversation.id}`) router.push('/');
  };

  const searching = activeQuery !== '';

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
          <Link href="/" className="flex items-center gap-2 rounded-md px-1 text-[0.95rem] font-semibold tracking-tight">
            <span aria-hidden="true" className="grid size-7 place-items-center rounded-lg bg-fg text-xs font-bold text-bg">
              K
            </span>
            {t('common.appName')}
          </Link>
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
          <Link href="/" className={buttonClass('secondary', 'md', 'w-full justify-start')}>
            <PlusIcon />
            {t('chat.newChat')}
          </Link>
          <div className="relative" role="search">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-fg-faint" />
            <input
              type="search"
              aria-label={t('chat.search')}
              placeholder={t('chat.searchPlaceholder')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              className="h-9 w-full rounded-lg border border-line bg-surface pr-2 pl-8 text-sm outline-none placeholder:text-fg-faint focus:border-accent"
            />
          </div>
        </div>

        <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-2" aria-busy={loading}>
          {items.length === 0 && !loading ? (
            <p className="px-2 py-6 text-center text-sm text-fg-faint">
              {searching ? t('chat.noResults', { q: activeQuery }) : t('chat.noConversations')}
            </p>
          ) : (
            <ul className="flex flex-col gap-0.5">
              {items.map((c) => (
                <ConversationRow
                  key={c.id}
                  conversation={c}
                  active={pathname === `/c/${c.id}`}
                  editing={editingId === c.id}
                  onStartRename={() => setEditingId(c.id)}
                  onRename={(title) => void rename(c, title)}
                  onCancelRename={() => setEditingId(null)}
                  onDelete={() => setDeleting(c)}
                />
              ))}
            </ul>
          )}
          {failed ? (
            <p role="alert" className="px-2 py-2 text-xs text-red-600 dark:text-red-400">
              {t('chat.loadFailed')}
            </p>
          ) : null}
          {nextCursor ? (
            <div ref={sentinelRef} className="px-2 py-2">
              <Button variant="ghost" size="sm" className="w-full" onClick={loadMore} disabled={loading}>
                {loading ? t('common.loading') : t('chat.loadMore')}
              </Button>
            </div>
          ) : null}
        </div>

        <div className="border-t border-line px-3 py-3">
          <Link
            href="/account"
            aria-current={pathname === '/account' ? 'page' : undefined}
            className={cn(
              '-mx-2 mb-2 flex items-center rounded-lg px-2 py-1.5 text-sm',
              pathname === '/account' ? 'bg-muted font-medium text-fg' : 'text-fg-soft hover:bg-muted/70 hover:text-fg',
            )}
          >
            {t('account.link')}
          </Link>
          {footer}
        </div>
      </nav>

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

interface ConversationRowProps {
  conversation: ConversationSummary;
  active: boolean;
  editing: boolean;
  onStartRename: () => void;
  onRename: (title: string) => void;
  onCancelRename: () => void;
  onDelete: () => void;
}

function ConversationRow({ conversation, active, editing, onStartRename, onRename, onCancelRename, onDelete }: ConversationRowProps) {
  const { t } = useI18n();
  const title = conversation.title || t('chat.untitled');
  const inputRef = useRef<HTMLInputElement>(null);
  const cancelled = useRef(false);

  useEffect(() => {
    if (editing) {
      cancelled.current = false;
      inputRef.current?.focus();
      inputRef.current?.select();
    }
  }, [editing]);

  if (editing) {
    return (
      <li>
        <input
          ref={inputRef}
          aria-label={t('chat.renameLabel')}
          defaultValue={conversation.title}
          maxLength={200}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
              e.preventDefault();
              onRename(e.currentTarget.value);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              cancelled.current = true;
              onCancelRename();
            }
          }}
          onBlur={(e) => {
            if (!cancelled.current) onRename(e.currentTarget.value);
          }}
          className="h-9 w-full rounded-lg border border-accent bg-surface px-2.5 text-sm outline-none"
        />
      </li>
    );
  }

  return (
    <li className={cn('group relative flex items-center rounded-lg', active ? 'bg-muted' : 'hover:bg-muted/70')}>
      <Link
        href={`/c/${conversation.id}`}
        aria-current={active ? 'page' : undefined}
        title={title}
        className={cn('min-w-0 flex-1 truncate rounded-lg py-2 pr-8 pl-2.5 text-sm', active ? 'font-medium text-fg' : 'text-fg-soft')}
      >
        {title}
      </Link>
      <div className={cn('absolute right-1', active ? '' : 'md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100')}>
        <Menu
          label={t('chat.chatOptions', { title })}
          trigger={<DotsIcon />}
          triggerClassName={buttonClass('ghost', 'icon-sm')}
          items={[
            { label: t('chat.rename'), icon: <PencilIcon width={14} height={14} />, onSelect: onStartRename },
            { label: t('chat.delete'), icon: <TrashIcon width={14} height={14} />, onSelect: onDelete, danger: true },
          ]}
        />
      </div>
    </li>
  );
}


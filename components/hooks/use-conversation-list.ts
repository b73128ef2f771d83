'use client';
// The sidebar's conversation list: server-side paging (a sentinel loads the next page when it scrolls into
// view), debounced search, optimistic rename, pin and archive, delete, and live updates from the thread
// (events.ts). Pinned chats are a list of their own, above the others.
import { useCallback, useEffect, useRef, useState } from 'react';
import { deleteConversation, isAborted, listConversations, patchConversation } from '@/components/api/client';
import { organizeConversation } from '@/components/api/library-client';
import { onSidebar } from '@/components/chat/events';
import type { ConversationPage, ConversationSummary } from '@/lib/chat/types';

const PAGE_SIZE = 30;
const SEARCH_DEBOUNCE_MS = 250;

export function useConversationList(initialPage: ConversationPage) {
  const [items, setItems] = useState<ConversationSummary[]>(initialPage.items);
  const [pinned, setPinned] = useState<ConversationSummary[]>(initialPage.pinned ?? []);
  const [nextCursor, setNextCursor] = useState<string | null>(initialPage.nextCursor);
  /** What is typed in the search box, and the query the list shows (empty: all conversations). */
  const [query, setQuery] = useState('');
  const [activeQuery, setActiveQuery] = useState('');
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const loadingRef = useRef(false);

  // Debounced server-side search.
  useEffect(() => {
    const q = query.trim();
    if (q === activeQuery) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      void listConversations({ q, limit: PAGE_SIZE }, controller.signal).then((result) => {
        if (result.ok) {
          setItems(result.value.items);
          setPinned(result.value.pinned ?? []);
          setNextCursor(result.value.nextCursor);
          setActiveQuery(q);
          setFailed(false);
        } else if (!isAborted(result)) setFailed(true);
        setLoading(false);
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, activeQuery]);

  const loadMore = useCallback(() => {
    if (!nextCursor || loadingRef.current) return;
    loadingRef.current = true;
    setLoading(true);
    void listConversations({ q: activeQuery, cursor: nextCursor, limit: PAGE_SIZE }).then((result) => {
      if (result.ok) {
        const page = result.value;
        setItems((current) => {
          const seen = new Set(current.map((c) => c.id));
          return [...current, ...page.items.filter((c) => !seen.has(c.id))];
        });
        setNextCursor(page.nextCursor);
        setFailed(false);
      } else setFailed(true);
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
        setPinned((current) => {
          if (event.type === 'remove') return current.filter((c) => c.id !== event.id);
          if (event.type === 'title') return current.map((c) => (c.id === event.id ? { ...c, title: event.title } : c));
          return current;
        });
        setItems((current) => {
          if (event.type === 'upsert') {
            if (current.some((c) => c.id === event.conversation.id)) return current;
            return [event.conversation, ...current];
          }
          if (event.type === 'remove') return current.filter((c) => c.id !== event.id);
          const found = current.find((c) => c.id === event.id);
          if (!found) return current;
          if (event.type === 'title') return current.map((c) => (c.id === event.id ? { ...c, title: event.title } : c));
          const touched = { ...found, updatedAt: new Date().toISOString(), model: event.model ?? found.model };
          return [touched, ...current.filter((c) => c.id !== event.id)];
        });
      }),
    [],
  );

  const setTitle = (id: string, title: string) => {
    const retitle = (current: ConversationSummary[]) => current.map((c) => (c.id === id ? { ...c, title } : c));
    setItems(retitle);
    setPinned(retitle);
  };
  const without = (id: string) => (current: ConversationSummary[]) => current.filter((c) => c.id !== id);
  const byNewest = (a: ConversationSummary, b: ConversationSummary) => b.updatedAt.localeCompare(a.updatedAt);

  /** Optimistic: shown at once, put back when the server refuses. */
  const rename = async (conversation: ConversationSummary, title: string) => {
    const value = title.trim();
    if (!value || value === conversation.title) return;
    setTitle(conversation.id, value);
    const result = await patchConversation(conversation.id, { title: value });
    if (!result.ok) setTitle(conversation.id, conversation.title);
  };

  /** Removed from the list once the server confirms (already gone counts); false when it failed. */
  const remove = async (conversation: ConversationSummary): Promise<boolean> => {
    const result = await deleteConversation(conversation.id);
    if (!result.ok && result.status !== 404) {
      setFailed(true);
      return false;
    }
    setItems(without(conversation.id));
    setPinned(without(conversation.id));
    return true;
  };

  /** Optimistic: moved between the pinned list and the others at once, put back when the server refuses. */
  const pin = async (conversation: ConversationSummary, value: boolean) => {
    const moved = { ...conversation, pinned: value };
    const place = (toPinned: boolean, c: ConversationSummary) => {
      setPinned((current) => (toPinned ? [c, ...without(c.id)(current)] : without(c.id)(current)));
      setItems((current) => (toPinned ? without(c.id)(current) : [...without(c.id)(current), c].sort(byNewest)));
    };
    place(value, moved);
    const result = await organizeConversation(conversation.id, { pinned: value });
    if (!result.ok) {
      place(!value, conversation);
      setFailed(true);
    }
  };

  /** Archived chats leave the list (the Archived view lists them); true once the server confirms. */
  const archive = async (conversation: ConversationSummary): Promise<boolean> => {
    const result = await organizeConversation(conversation.id, { archived: true });
    if (!result.ok) {
      setFailed(true);
      return false;
    }
    setItems(without(conversation.id));
    setPinned(without(conversation.id));
    return true;
  };

  /** A chat restored from the Archived view comes back in its place by date. */
  const restored = (conversation: ConversationSummary) =>
    setItems((current) => [...without(conversation.id)(current), { ...conversation, archived: false, pinned: false }].sort(byNewest));

  return {
    items,
    pinned,
    pin,
    archive,
    restored,
    nextCursor,
    query,
    setQuery,
    activeQuery,
    searching: activeQuery !== '',
    loading,
    failed,
    loadMore,
    sentinelRef,
    rename,
    remove,
  };
}

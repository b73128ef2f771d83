'use client';
// The sidebar's conversation list: server-side paging (a sentinel loads the next page when it scrolls into
// view), debounced search, optimistic rename and delete, and live updates from the thread (events.ts).
import { useCallback, useEffect, useRef, useState } from 'react';
import { deleteConversation, isAborted, listConversations, patchConversation } from '@/components/api/client';
import { onSidebar } from '@/components/chat/events';
import type { ConversationPage, ConversationSummary } from '@/lib/chat/types';

const PAGE_SIZE = 30;
const SEARCH_DEBOUNCE_MS = 250;

export function useConversationList(initialPage: ConversationPage) {
  const [items, setItems] = useState<ConversationSummary[]>(initialPage.items);
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

  const setTitle = (id: string, title: string) => setItems((current) => current.map((c) => (c.id === id ? { ...c, title } : c)));

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
    setItems((current) => current.filter((c) => c.id !== conversation.id));
    return true;
  };

  return { items, nextCursor, query, setQuery, activeQuery, searching: activeQuery !== '', loading, failed, loadMore, sentinelRef, rename, remove };
}

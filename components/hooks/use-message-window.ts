'use client';
// A long thread renders a window of its messages, not all of them: the newest page on open, older pages as
// the reader scrolls up (a sentinel near the top, or its button), newer ones again on the way down, at
// most WINDOW_MAX at a time, so a 1,000-message conversation stays a few thousand DOM nodes. Every change
// of the window keeps the message the reader is looking at where it was on screen. reveal() brings any
// message in (search results, `#message-<id>` links) and scrolls to it. Indexes count the whole path; the
// browser may have only its end (from `loadedFrom`): a step up past that asks `loadOlder` for the page
// first and is taken once it is there.
import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { THREAD_PAGE } from '@/lib/chat/limits';

/** Messages added per step: the server's page, which a conversation opens on. */
export const WINDOW_PAGE = THREAD_PAGE;
/** Messages rendered at most. */
export const WINDOW_MAX = 75;
/** How close (px) a sentinel must come to the visible area to load its page. */
const LOAD_MARGIN = '800px 0px';

export interface MessageWindow {
  /** The rendered messages are [start, end). */
  start: number;
  end: number;
  hasOlder: boolean;
  hasNewer: boolean;
  showOlder: () => void;
  showNewer: () => void;
  /** Back to the newest page, scrolled to the bottom, following new messages again. */
  toEnd: () => void;
  /** Renders the message at `index` and scrolls it to the middle of the view, focused. */
  reveal: (index: number) => void;
  /** Call right before `from` is replaced by `to` (a branch switch): `to` will appear where `from` is now. */
  keepPlace: (from: string, to: string) => void;
  /** Attach to the elements just above the first and below the last rendered message. */
  olderRef: (el: HTMLElement | null) => void;
  newerRef: (el: HTMLElement | null) => void;
}

/** `end: null` follows the end of the thread (new messages come into the window). */
interface Range {
  start: number;
  end: number | null;
}

const MESSAGE = '[data-message-id]';

/** The first message at least partly in view, and where its top is: what must not move. */
function anchorOf(scroller: HTMLElement): { id: string; top: number } | null {
  const view = scroller.getBoundingClientRect();
  for (const el of scroller.querySelectorAll<HTMLElement>(MESSAGE)) {
    const box = el.getBoundingClientRect();
    if (box.bottom > view.top) return { id: el.dataset.messageId ?? '', top: box.top };
  }
  return null;
}

const find = (scroller: HTMLElement, id: string) => scroller.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`);

export interface WindowOptions {
  /** false renders every message (the benchmark's baseline: the thread as it was). */
  enabled?: boolean;
  /** The first message the browser has (the ones before it are on the server). */
  loadedFrom?: number;
  /** Asks for the page before `loadedFrom`; the window steps up when `loadedFrom` has moved. */
  loadOlder?: () => void;
}

export function useMessageWindow(
  count: number,
  scroller: RefObject<HTMLElement | null>,
  { enabled = true, loadedFrom = 0, loadOlder }: WindowOptions = {},
): MessageWindow {
  const page = enabled ? WINDOW_PAGE : Number.POSITIVE_INFINITY;
  const [range, setRange] = useState<Range>(() => ({ start: Math.max(0, count - page), end: null }));
  const end = range.end === null ? count : Math.min(range.end, count);
  // Edits and regenerations shorten the thread: the window never starts past its end, nor before what is loaded.
  const start = Math.max(Math.min(range.start, Math.max(0, end - 1)), Math.min(loadedFrom, Math.max(0, end - 1)));
  const anchor = useRef<{ id: string; top: number } | null>(null);
  const revealIndex = useRef<number | null>(null);
  const toBottom = useRef(false);

  const change = useCallback(
    (next: (r: Range) => Range) => {
      const el = scroller.current;
      anchor.current = el ? anchorOf(el) : null;
      setRange(next);
    },
    [scroller],
  );

  /** A step up waiting for its page (loadOlder). */
  const wantsOlder = useRef(false);
  const showOlder = useCallback(() => {
    const nextStart = Math.max(0, start - WINDOW_PAGE);
    if (nextStart < loadedFrom) {
      wantsOlder.current = true;
      loadOlder?.();
      return;
    }
    change((r) => {
      const last = r.end ?? count;
      return { start: nextStart, end: last - nextStart > WINDOW_MAX ? nextStart + WINDOW_MAX : r.end };
    });
  }, [change, count, start, loadedFrom, loadOlder]);
  // The page came: take the step it was asked for.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when more of the thread is loaded.
  useEffect(() => {
    if (!wantsOlder.current) return;
    wantsOlder.current = false;
    showOlder();
  }, [loadedFrom]);

  const showNewer = useCallback(
    () =>
      change((r) => {
        const nextEnd = r.end === null || r.end + WINDOW_PAGE >= count ? null : r.end + WINDOW_PAGE;
        return { start: Math.max(r.start, (nextEnd ?? count) - WINDOW_MAX), end: nextEnd };
      }),
    [change, count],
  );

  const toEnd = useCallback(() => {
    anchor.current = null;
    toBottom.current = true;
    setRange({ start: Math.max(0, count - page), end: null });
  }, [count, page]);

  const reveal = useCallback(
    (index: number) => {
      anchor.current = null;
      revealIndex.current = index;
      const from = Math.max(0, index - WINDOW_PAGE / 2);
      const to = Math.min(count, from + WINDOW_PAGE);
      setRange({ start: Math.min(from, Math.max(0, to - WINDOW_PAGE)), end: to >= count ? null : to });
    },
    [count],
  );

  // After the window changed: put the anchored message back where it was, or scroll to the revealed one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the rendered range changes.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const held = anchor.current;
    anchor.current = null;
    if (held) {
      const now = find(el, held.id);
      if (now) el.scrollTop += now.getBoundingClientRect().top - held.top;
    }
    if (toBottom.current) {
      toBottom.current = false;
      // The newest page replaced what was rendered: its end is the bottom (0 in a column-reverse scroller).
      el.scrollTop = getComputedStyle(el).flexDirection === 'column-reverse' ? 0 : el.scrollHeight;
    }
    const index = revealIndex.current;
    revealIndex.current = null;
    if (index !== null) {
      const target = el.querySelectorAll<HTMLElement>(MESSAGE)[index - start];
      target?.scrollIntoView({ block: 'center' });
      target?.focus({ preventScroll: true });
    }
  }, [start, end]);

  // A replaced message's successor takes its spot on screen once it is rendered. Checked after every render,
  // not on a window change: a switch can leave the range as it was while the path after it changes length.
  const successor = useRef<{ id: string; top: number } | null>(null);
  const keepPlace = useCallback(
    (from: string, to: string) => {
      const now = scroller.current && find(scroller.current, from);
      successor.current = now ? { id: to, top: now.getBoundingClientRect().top } : null;
    },
    [scroller],
  );
  useLayoutEffect(() => {
    const el = scroller.current;
    const held = successor.current;
    const now = el && held && find(el, held.id);
    if (!now || !held) return;
    successor.current = null;
    el.scrollTop += now.getBoundingClientRect().top - held.top;
  });

  // Sentinels: observed afresh after every change, so one still in reach loads the next page too.
  const [older, setOlder] = useState<HTMLElement | null>(null);
  const [newer, setNewer] = useState<HTMLElement | null>(null);
  const hasOlder = start > 0;
  const hasNewer = end < count;
  useEffect(() => {
    const root = scroller.current;
    if (!root || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          if (entry.target === older && hasOlder) showOlder();
          else if (entry.target === newer && hasNewer) showNewer();
        }
      },
      { root, rootMargin: LOAD_MARGIN },
    );
    if (older) observer.observe(older);
    if (newer) observer.observe(newer);
    return () => observer.disconnect();
  }, [scroller, older, newer, hasOlder, hasNewer, showOlder, showNewer]);

  return { start, end, hasOlder, hasNewer, showOlder, showNewer, toEnd, reveal, keepPlace, olderRef: setOlder, newerRef: setNewer };
}

'use client';
// Stick-to-bottom scrolling for a scrolling container: follows new content while the reader is at the
// bottom (within `threshold` px), stops following when they scroll up, and says whether they are there.
// A container laid out `flex-direction: column-reverse` (it opens at its end) counts from the bottom: 0 there.
import { type DependencyList, type RefObject, type UIEventHandler, useCallback, useLayoutEffect, useRef, useState } from 'react';

export interface ScrollToBottom {
  ref: RefObject<HTMLDivElement | null>;
  onScroll: UIEventHandler<HTMLDivElement>;
  /** The reader is at (or near) the bottom: no "scroll to bottom" button needed. */
  atBottom: boolean;
  scrollToBottom: (behavior?: ScrollBehavior) => void;
  /** Follow again from the next change (the reader sent, retried or continued). */
  stick: () => void;
}

/** `deps`: what changes the content's height (messages, status): re-followed after each render where they change. */
const reversed = (el: HTMLElement) => getComputedStyle(el).flexDirection === 'column-reverse';

/** How far the reader is from the end. */
const fromBottom = (el: HTMLElement) => (reversed(el) ? -el.scrollTop : el.scrollHeight - el.scrollTop - el.clientHeight);

export function useScrollToBottom(deps: DependencyList, threshold = 80): ScrollToBottom {
  const ref = useRef<HTMLDivElement>(null);
  const stickRef = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const mounted = useRef(false);

  const scrollToBottom = useCallback((behavior: ScrollBehavior = 'auto') => {
    const el = ref.current;
    if (el) el.scrollTo({ top: reversed(el) ? 0 : el.scrollHeight, behavior });
  }, []);

  useLayoutEffect(
    () => {
      // The server's page can be scrolled before it hydrates (onScroll isn't attached yet): a reader already
      // away from the end keeps their place instead of being pulled back down.
      const el = ref.current;
      if (!mounted.current && el && fromBottom(el) >= threshold) {
        stickRef.current = false;
        setAtBottom(false);
      }
      mounted.current = true;
      if (stickRef.current) scrollToBottom();
    },
    // biome-ignore lint/correctness/useExhaustiveDependencies: deliberately the caller's deps: they name what moves the bottom.
    deps,
  );

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const near = fromBottom(el) < threshold;
    stickRef.current = near;
    setAtBottom(near);
  }, [threshold]);

  const stick = useCallback(() => {
    stickRef.current = true;
  }, []);

  return { ref, onScroll, atBottom, scrollToBottom, stick };
}

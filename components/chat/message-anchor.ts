'use client';
// Links to one message (from search results): /c/:id#m-<messageId>. The thread scrolls that message into
// view and marks it for a moment, once per address (not again when later messages arrive).
import { useEffect, useRef } from 'react';

const PREFIX = 'm-';
const HIGHLIGHT_MS = 2_500;

export function messageAnchor(conversationId: string, messageId: string): string {
  return `/c/${encodeURIComponent(conversationId)}#${PREFIX}${encodeURIComponent(messageId)}`;
}

/** The DOM id of a message's element in the thread. */
export const messageDomId = (messageId: string) => `${PREFIX}${messageId}`;

/** Scrolls to the message the address names once it is rendered (`messageCount` re-checks as messages load). */
export function useMessageAnchor(messageCount: number): void {
  const done = useRef<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const jump = (again: boolean) => {
      const hash = decodeURIComponent(window.location.hash.slice(1));
      if (!hash.startsWith(PREFIX) || (!again && done.current === hash)) return;
      const el = document.getElementById(hash);
      if (!el || messageCount === 0) return;
      done.current = hash;
      el.scrollIntoView({ block: 'center' });
      el.setAttribute('data-highlighted', 'true');
      clearTimeout(timer);
      timer = setTimeout(() => el.removeAttribute('data-highlighted'), HIGHLIGHT_MS);
    };
    const onHash = () => jump(true);
    jump(false);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
      clearTimeout(timer);
    };
  }, [messageCount]);
}

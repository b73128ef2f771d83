'use client';
// Links to one message (from search results): /c/:id#message-<messageId> (./reveal.ts: the thread's window
// renders it however old). Once it is rendered, the thread scrolls it into view and marks it for a moment,
// once per address (not again when later messages arrive).
import { useEffect, useRef } from 'react';
import { messageHash, messageIdFromHash } from './reveal';

const PREFIX = 'm-';
const HIGHLIGHT_MS = 2_500;

export function messageAnchor(conversationId: string, messageId: string): string {
  return `/c/${encodeURIComponent(conversationId)}${messageHash(messageId)}`;
}

/** The DOM id of a message's element in the thread. */
export const messageDomId = (messageId: string) => `${PREFIX}${messageId}`;

/**
 * Scrolls to the message the address names once it is rendered: `messageCount` and `windowStart` (the
 * thread's rendered window) re-check as messages load or the window moves to it.
 */
export function useMessageAnchor(messageCount: number, windowStart: number): void {
  const done = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a moved window (windowStart) may have rendered the message.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const jump = (again: boolean) => {
      const messageId = messageIdFromHash(window.location.hash);
      if (messageId === null) return;
      const hash = messageDomId(messageId);
      if (!again && done.current === hash) return;
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
  }, [messageCount, windowStart]);
}

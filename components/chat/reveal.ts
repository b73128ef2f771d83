// Opening a message of a conversation from elsewhere (a search result): a link to
// `/c/<conversation>#message-<id>`. The thread renders it (however old) and
// scrolls to it (components/hooks/use-message-window.ts).
const HASH = /^#message-(.+)$/;

export const messageHash = (messageId: string) => `#message-${encodeURIComponent(messageId)}`;

export function messageIdFromHash(hash: string): string | null {
  const id = HASH.exec(hash)?.[1];
  return id ? decodeURIComponent(id) : null;
}

/**
 * Opens a message of the conversation already on screen. Next's <Link> changes only the address for a new hash
 * on the same page (no `hashchange`), and the same hash again changes nothing: the thread listens for the event.
 */
export function openMessageInPlace(messageId: string): void {
  const hash = messageHash(messageId);
  if (window.location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else window.location.hash = hash;
}

// Opening a message of the open conversation from elsewhere (a search result): revealMessage(id) on the
// same page, or a link to `/c/<conversation>#message-<id>`. The thread renders it (however old) and
// scrolls to it (components/hooks/use-message-window.ts).
const EVENT = 'kimi:reveal-message';
const HASH = /^#message-(.+)$/;

export const messageHash = (messageId: string) => `#message-${encodeURIComponent(messageId)}`;

export function messageIdFromHash(hash: string): string | null {
  const id = HASH.exec(hash)?.[1];
  return id ? decodeURIComponent(id) : null;
}

export function revealMessage(messageId: string): void {
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: messageId }));
}

export function onRevealMessage(listener: (messageId: string) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent<string>).detail);
  window.addEventListener(EVENT, handler);
  return () => window.removeEventListener(EVENT, handler);
}

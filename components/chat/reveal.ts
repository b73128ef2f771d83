// Opening a message of a conversation from elsewhere (a search result): a link to
// `/c/<conversation>#message-<id>`. The thread renders it (however old) and
// scrolls to it (components/hooks/use-message-window.ts).
const HASH = /^#message-(.+)$/;

export const messageHash = (messageId: string) => `#message-${encodeURIComponent(messageId)}`;

export function messageIdFromHash(hash: string): string | null {
  const id = HASH.exec(hash)?.[1];
  return id ? decodeURIComponent(id) : null;
}

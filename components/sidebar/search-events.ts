// How anything in the page opens the message search (a shortcut, a menu): call openMessageSearch(), or click
// the sidebar's button with id MESSAGE_SEARCH_BUTTON_ID. The sidebar's SearchDialog listens.
const EVENT = 'kimi:open-message-search';
export const MESSAGE_SEARCH_BUTTON_ID = 'message-search-open';

export function openMessageSearch(): void {
  window.dispatchEvent(new Event(EVENT));
}

export function onOpenMessageSearch(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}

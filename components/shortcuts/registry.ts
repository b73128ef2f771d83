// The keyboard shortcuts: one list (what the help dialog shows) and one dispatch. Components plug in with
// registerShortcut (or the useShortcut hook): the most recent handler of a shortcut runs first, and one that
// returns false passes the key on (to an earlier one, then to the fallback the chat layout registers).
// Ctrl/Cmd+K's "search" is the hook point for the sidebar's search: register a handler that opens it.

export type ShortcutId = 'search' | 'newChat' | 'stop' | 'help';

export interface Shortcut {
  id: ShortcutId;
  /** The keys as the help dialog shows them; `mod` is ⌘ on Apple devices, Ctrl elsewhere. */
  keys: readonly string[];
  matches: (e: KeyboardEvent) => boolean;
  /** Also while typing in a text field (the composer): only combinations that type nothing. */
  inFields: boolean;
}

const mod = (e: KeyboardEvent) => (e.metaKey || e.ctrlKey) && !e.altKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'search', keys: ['mod', 'K'], matches: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'k', inFields: true },
  { id: 'newChat', keys: ['mod', 'Shift', 'O'], matches: (e) => mod(e) && e.shiftKey && e.key.toLowerCase() === 'o', inFields: true },
  { id: 'stop', keys: ['Esc'], matches: (e) => e.key === 'Escape' && !e.metaKey && !e.ctrlKey && !e.altKey, inFields: true },
  { id: 'help', keys: ['?'], matches: (e) => e.key === '?' && !e.metaKey && !e.ctrlKey && !e.altKey, inFields: false },
];

/** A handler returns false when it does not apply now (e.g. Stop with nothing streaming). */
export type ShortcutHandler = () => boolean | undefined;

const handlers = new Map<ShortcutId, ShortcutHandler[]>();
const fallbacks = new Map<ShortcutId, ShortcutHandler>();

/** Adds a handler; returns its removal. `fallback`: runs only when no other handler took the key. */
export function registerShortcut(id: ShortcutId, handler: ShortcutHandler, { fallback = false } = {}): () => void {
  if (fallback) {
    fallbacks.set(id, handler);
    return () => {
      if (fallbacks.get(id) === handler) fallbacks.delete(id);
    };
  }
  const list = handlers.get(id) ?? [];
  list.push(handler);
  handlers.set(id, list);
  return () =>
    handlers.set(
      id,
      (handlers.get(id) ?? []).filter((h) => h !== handler),
    );
}

/** Runs a shortcut as its keys would (the help menu item does this); true when a handler took it. */
export function runShortcut(id: ShortcutId): boolean {
  for (const handler of [...(handlers.get(id) ?? [])].reverse()) if (handler() !== false) return true;
  const fallback = fallbacks.get(id);
  return fallback ? fallback() !== false : false;
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type))
  );
}

/** The document's keydown listener. Keys a dialog, menu or IME already handled are left alone. */
export function handleShortcutKey(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.isComposing || e.repeat) return;
  const shortcut = SHORTCUTS.find((s) => s.matches(e));
  if (!shortcut) return;
  if (!shortcut.inFields && typingIn(e.target)) return;
  // A modal dialog owns the keyboard (Escape closes it; nothing behind it should react).
  if (document.querySelector('dialog[open]')) return;
  if (runShortcut(shortcut.id)) e.preventDefault();
}

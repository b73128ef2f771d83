// A tiny in-page channel from the thread to the sidebar (new chat created, title arrived, chat updated),
// so the two client trees stay decoupled.
import type { ConversationSummary } from '@/lib/chat/types';

export type SidebarEvent =
  | { type: 'upsert'; conversation: ConversationSummary }
  | { type: 'title'; id: string; title: string }
  | { type: 'touch'; id: string; model?: string }
  /** A new chat whose first message was refused: it never existed on the server. */
  | { type: 'remove'; id: string };

const EVENT = 'kimi:sidebar';
let target: EventTarget | null = null;
function channel(): EventTarget {
  target ??= new EventTarget();
  return target;
}

export function emitSidebar(event: SidebarEvent): void {
  channel().dispatchEvent(new CustomEvent<SidebarEvent>(EVENT, { detail: event }));
}

export function onSidebar(listener: (event: SidebarEvent) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent<SidebarEvent>).detail);
  channel().addEventListener(EVENT, handler);
  return () => channel().removeEventListener(EVENT, handler);
}

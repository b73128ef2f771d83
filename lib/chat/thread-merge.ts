// The thread in the browser holds the end of the current path, from `olderCount` on. When the server
// answers a page of the path again (a refetch, a branch switch), the older messages already loaded stay
// where the new page starts at the same place with the same message (siblings share their parent, so a
// switch changes nothing before it): the reader is not sent back to the newest page.
import type { ThreadPage } from './types';

export function mergePage(current: ThreadPage, next: ThreadPage): ThreadPage {
  const first = next.messages[0];
  const at = first ? current.messages.findIndex((m) => m.id === first.id) : -1;
  if (at <= 0 || current.olderCount + at !== next.olderCount) return next;
  return { messages: [...current.messages.slice(0, at), ...next.messages], olderCount: current.olderCount };
}

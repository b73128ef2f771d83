// Pin and archive: how the user keeps their list. Owner-only like every conversation write (a conversation
// that is not theirs, deleted or missing is `false`, the same answer).
import 'server-only';
import { db } from '@/lib/db';
import { isUuid } from './conversations';

/** Pins (to the top of the sidebar) or unpins. Archived chats cannot be pinned: archiving unpins. */
export async function setPinned(userId: string, id: string, pinned: boolean): Promise<boolean> {
  if (!isUuid(id)) return false;
  const prisma = await db();
  const { count } = await prisma.conversation.updateMany({
    where: { id, userId, deletedAt: null, ...(pinned ? { archivedAt: null } : {}) },
    data: { pinnedAt: pinned ? new Date() : null },
  });
  return count === 1;
}

/** Archives (out of the sidebar's list, into its Archived view) or restores. */
export async function setArchived(userId: string, id: string, archived: boolean): Promise<boolean> {
  if (!isUuid(id)) return false;
  const prisma = await db();
  const { count } = await prisma.conversation.updateMany({
    where: { id, userId, deletedAt: null },
    data: archived ? { archivedAt: new Date(), pinnedAt: null } : { archivedAt: null },
  });
  return count === 1;
}

// A conversation's thread, a page at a time: it opens on the newest page of the current path and older
// pages come as the reader scrolls up (GET /api/conversations/:id/messages). The path is found from every
// message's tree columns; parts, ledger details and the rest are read for the page's messages only, so a
// 1,000-message conversation costs the server and the browser one page, not the whole history.
import 'server-only';
import type { ChatUIMessage } from '@/lib/chat/types';
import type { PrismaClient } from '@/lib/db';
import { messageDetails } from '@/lib/usage/message-details';
import { toUIMessage } from './message-mapping';
import { currentPath, siblingsOf } from './tree';

export interface PathRow {
  id: string;
  parentId: string | null;
  seq: bigint;
  role: 'user' | 'assistant';
  status: string;
}

export interface ThreadPath {
  /** The current path, oldest first. */
  path: PathRow[];
  /** Each message's alternatives (itself included), for the messages that have some. */
  siblings: Map<string, string[]>;
}

/** The conversation's current path (to `leafId`, lib/chat/tree.ts); the caller has checked the conversation is the user's. */
export async function loadPath(prisma: PrismaClient, conversationId: string, leafId: string | null): Promise<ThreadPath> {
  const rows = await prisma.message.findMany({
    where: { conversationId },
    select: { id: true, parentId: true, seq: true, role: true, status: true },
  });
  return { path: currentPath(rows, leafId), siblings: siblingsOf(rows) };
}

/** The given rows of the path as the thread shows them, in their order. */
export async function pageMessages(
  prisma: PrismaClient,
  conversationId: string,
  rows: readonly PathRow[],
  { siblings }: ThreadPath,
): Promise<ChatUIMessage[]> {
  if (rows.length === 0) return [];
  const [full, details] = await Promise.all([
    prisma.message.findMany({
      where: { conversationId, id: { in: rows.map((r) => r.id) } },
      select: { id: true, role: true, parts: true, status: true, model: true, error: true, cutReason: true, createdAt: true },
    }),
    messageDetails(rows.filter((r) => r.role === 'assistant').map((r) => r.id)),
  ]);
  const byId = new Map(full.map((m) => [m.id, m]));
  return rows.flatMap((r) => {
    const row = byId.get(r.id);
    return row ? [toUIMessage(row, details.get(row.id), siblings.get(row.id))] : [];
  });
}

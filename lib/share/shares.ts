// Share links: a read-only snapshot of a conversation, copied when it is shared, so what a visitor sees is
// exactly what the owner chose to share — later turns do not leak into it. A snapshot holds the current
// path's text only (no message ids, reasoning, images or documents) and its title; never the owner's email.
// A revoked link, a deleted conversation and an unknown id are the same: not found.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { isUuid } from '@/lib/chat/conversations';
import { db } from '@/lib/db';
import { SHARE_ID, type ShareMessage, type ShareSummary, type ShareVisibility } from './types';

function snapshotOf(messages: ReadonlyArray<{ role: 'user' | 'assistant'; parts: unknown; model: string | null }>): ShareMessage[] {
  return messages.flatMap((m) => {
    const parts = Array.isArray(m.parts) ? (m.parts as Array<{ type?: unknown; text?: unknown }>) : [];
    const text = parts
      .filter((p) => p.type === 'text' && typeof p.text === 'string')
      .map((p) => p.text as string)
      .join('');
    return text.trim() ? [{ role: m.role, text, model: m.role === 'assistant' ? m.model : null }] : [];
  });
}

/** Shares the user's conversation as it is now; null when it is missing, deleted or someone else's. */
export async function createShare(userId: string, conversationId: string, visibility: ShareVisibility): Promise<ShareSummary | null> {
  if (!isUuid(conversationId)) return null;
  const prisma = await db();
  const conversation = await prisma.conversation.findFirst({
    where: { id: conversationId, userId, deletedAt: null },
    select: { title: true, messages: { orderBy: { seq: 'asc' }, select: { role: true, parts: true, model: true } } },
  });
  if (!conversation) return null;
  const messages = snapshotOf(conversation.messages);
  const row = await prisma.share.create({
    data: {
      id: randomBytes(32).toString('base64url'),
      userId,
      conversationId,
      title: conversation.title,
      messages: messages as object[],
      visibility,
    },
  });
  return summary({ ...row, messages });
}

function summary(row: {
  id: string;
  conversationId: string;
  title: string;
  visibility: ShareVisibility;
  createdAt: Date;
  messages: unknown;
}): ShareSummary {
  return {
    id: row.id,
    conversationId: row.conversationId,
    title: row.title,
    visibility: row.visibility,
    createdAt: row.createdAt.toISOString(),
    messages: Array.isArray(row.messages) ? row.messages.length : 0,
  };
}

/** The user's live share links, newest first. */
export async function listShares(userId: string): Promise<ShareSummary[]> {
  const prisma = await db();
  const rows = await prisma.share.findMany({
    where: { userId, revokedAt: null, conversation: { deletedAt: null } },
    orderBy: { createdAt: 'desc' },
    take: 200,
  });
  return rows.map(summary);
}

/** Ends a link of the user's: it answers 404 from now on. False when it is not theirs or already revoked. */
export async function revokeShare(userId: string, id: string): Promise<boolean> {
  if (!SHARE_ID.test(id)) return false;
  const prisma = await db();
  const { count } = await prisma.share.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count === 1;
}

export interface SharedConversation {
  title: string;
  visibility: ShareVisibility;
  createdAt: string;
  messages: ShareMessage[];
}

/** A live link's snapshot (the caller enforces `visibility`), or null: unknown, revoked or deleted. */
export async function readShare(id: string): Promise<SharedConversation | null> {
  if (!SHARE_ID.test(id)) return null;
  const prisma = await db();
  const row = await prisma.share.findFirst({
    where: { id, revokedAt: null, conversation: { deletedAt: null } },
    select: { title: true, visibility: true, createdAt: true, messages: true },
  });
  if (!row) return null;
  return {
    title: row.title,
    visibility: row.visibility,
    createdAt: row.createdAt.toISOString(),
    messages: row.messages as unknown as ShareMessage[],
  };
}

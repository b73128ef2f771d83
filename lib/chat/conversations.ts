// The conversation repository: every read and write of conversations and messages outside the chat turn.
// Every function takes the acting user's id and touches only that user's rows; "not yours" and "not
// there" look the same (null/false) so ids cannot be probed.
import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/db/generated/client';
import { activeStreams } from './active-streams';
import { toUIMessage } from './message-mapping';
import type { ConversationDetail, ConversationPage, ConversationSettings, ConversationSummary } from './types';

export const PAGE_SIZE = 30;
export const MAX_TITLE_CHARS = 200;

interface Cursor {
  updatedAt: Date;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.updatedAt.toISOString()}|${c.id}`).toString('base64url');
}

function decodeCursor(raw: string): Cursor | null {
  const [iso, id] = Buffer.from(raw, 'base64url').toString().split('|');
  const updatedAt = new Date(iso ?? '');
  if (!id || Number.isNaN(updatedAt.getTime())) return null;
  return { updatedAt, id };
}

function summary(row: { id: string; title: string; model: string; updatedAt: Date }): ConversationSummary {
  return { id: row.id, title: row.title, model: row.model, updatedAt: row.updatedAt.toISOString() };
}

/** The user's conversations, newest first, keyset-paginated; `q` filters titles (case-insensitive). */
export async function listConversations(
  userId: string,
  { cursor, q, limit = PAGE_SIZE }: { cursor?: string | null; q?: string | null; limit?: number } = {},
): Promise<ConversationPage> {
  const prisma = await db();
  const after = cursor ? decodeCursor(cursor) : null;
  const where: Prisma.ConversationWhereInput = { userId, deletedAt: null };
  if (q && q.trim() !== '') where.title = { contains: q.trim(), mode: 'insensitive' };
  if (after) {
    where.OR = [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }];
  }
  const rows = await prisma.conversation.findMany({
    where,
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: { id: true, title: true, model: true, updatedAt: true },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(summary), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** One conversation with its messages, or null when it is missing, deleted or someone else's. */
export async function getConversationDetail(userId: string, id: string): Promise<ConversationDetail | null> {
  if (!isUuid(id)) return null;
  const prisma = await db();
  const row = await prisma.conversation.findFirst({
    where: { id, userId, deletedAt: null },
    include: { messages: { orderBy: { seq: 'asc' } } },
  });
  if (!row) return null;
  const live = activeStreams.get(id);
  // While an answer streams here, the client resumes the live stream, which brings that message itself.
  const messages = row.messages.filter((m) => !(live && m.id === live.messageId)).map(toUIMessage);
  return {
    ...summary(row),
    settings: { model: row.model, systemPrompt: row.systemPrompt, temperature: row.temperature },
    messages,
    streaming: live !== undefined,
  };
}

export async function renameConversation(userId: string, id: string, title: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const prisma = await db();
  const { count } = await prisma.conversation.updateMany({
    where: { id, userId, deletedAt: null },
    data: { title: title.trim().slice(0, MAX_TITLE_CHARS) },
  });
  return count === 1;
}

export async function updateConversationSettings(userId: string, id: string, settings: ConversationSettings): Promise<boolean> {
  if (!isUuid(id)) return false;
  const prisma = await db();
  const { count } = await prisma.conversation.updateMany({
    where: { id, userId, deletedAt: null },
    data: { model: settings.model, systemPrompt: settings.systemPrompt, temperature: settings.temperature },
  });
  return count === 1;
}

/** Soft delete: the conversation disappears for the user; usage rows keep pointing at it for the ledger. */
export async function deleteConversation(userId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const prisma = await db();
  const { count } = await prisma.conversation.updateMany({
    where: { id, userId, deletedAt: null },
    data: { deletedAt: new Date() },
  });
  if (count === 1) activeStreams.get(id)?.abort('deleted');
  return count === 1;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

// The conversation repository: every read and write of conversations and messages outside the chat turn.
// Every function takes the acting user's id and touches only that user's rows; "not yours" and "not
// there" look the same (null/false) so ids cannot be probed.
import 'server-only';
import { defaultModelId, servedModels } from '@/lib/chat/models';
import {
  type ConversationDetail,
  type ConversationPage,
  type ConversationSettings,
  type ConversationSummary,
  NEWEST_PAGE,
  THREAD_PAGE,
  type ThreadPage,
} from '@/lib/chat/types';
import { config } from '@/lib/config';
import { reasoningEffortSchema } from '@/lib/contracts';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/db/generated/client';
import { AUTO_MODEL_ID } from '@/lib/kimi/catalog';
import { autoCandidatesOf } from '@/lib/kimi/models';
import { activeStreams } from './live';
import { loadPath, pageMessages } from './thread-page';
import { newestLeafUnder } from './tree';

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

type SummaryRow = { id: string; title: string; model: string; updatedAt: Date; pinnedAt?: Date | null; archivedAt?: Date | null };

function summary(row: SummaryRow): ConversationSummary {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    updatedAt: row.updatedAt.toISOString(),
    pinned: Boolean(row.pinnedAt),
    archived: Boolean(row.archivedAt),
  };
}

const SUMMARY_SELECT = { id: true, title: true, model: true, updatedAt: true, pinnedAt: true, archivedAt: true } as const;
/** Pinned chats shown above the list, at most. */
export const MAX_PINNED = 50;

/**
 * The user's conversations, newest first, keyset-paginated; `q` filters titles (case-insensitive). The
 * default view leaves out archived chats and, when not searching, lists pinned ones apart (`pinned`, on the
 * first page only); `view: 'archived'` lists only archived chats.
 */
export async function listConversations(
  userId: string,
  { cursor, q, limit = PAGE_SIZE, view = 'active' }: { cursor?: string | null; q?: string | null; limit?: number; view?: 'active' | 'archived' } = {},
): Promise<ConversationPage> {
  const prisma = await db();
  const after = cursor ? decodeCursor(cursor) : null;
  const searching = Boolean(q && q.trim() !== '');
  const where: Prisma.ConversationWhereInput = { userId, deletedAt: null, archivedAt: view === 'archived' ? { not: null } : null };
  if (view === 'active' && !searching) where.pinnedAt = null;
  if (searching && q) where.title = { contains: q.trim(), mode: 'insensitive' };
  if (after) {
    where.OR = [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }];
  }
  const rows = await prisma.conversation.findMany({
    where,
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: SUMMARY_SELECT,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(last) : null;
  if (view !== 'active' || searching || after) return { items: page.map(summary), nextCursor };
  const pinned = await prisma.conversation.findMany({
    where: { userId, deletedAt: null, archivedAt: null, pinnedAt: { not: null } },
    orderBy: [{ pinnedAt: 'desc' }, { id: 'desc' }],
    take: MAX_PINNED,
    select: SUMMARY_SELECT,
  });
  return { items: page.map(summary), pinned: pinned.map(summary), nextCursor };
}

/**
 * One conversation with the newest `page` messages of its current path (older ones: getOlderMessages) —
 * reaching back to `to` and a page before it when that is on the path (a branch switched deep in the
 * thread, which the reader is looking at) — or null when it is missing, deleted or someone else's.
 */
export async function getConversationDetail(
  userId: string,
  id: string,
  { page = NEWEST_PAGE, to }: { page?: number; to?: string } = {},
): Promise<ConversationDetail | null> {
  if (!isUuid(id)) return null;
  const prisma = await db();
  const row = await prisma.conversation.findFirst({ where: { id, userId, deletedAt: null } });
  if (!row) return null;
  // The thread is one path of the tree; a message with alternatives carries their ids for its switch.
  const thread = await loadPath(prisma, id, row.leafId);
  const target = to === undefined ? -1 : thread.path.findIndex((m) => m.id === to);
  const olderCount = Math.max(0, Math.min(thread.path.length - page, target === -1 ? Number.POSITIVE_INFINITY : target - page));
  const [live, served, newest] = await Promise.all([
    liveAnswerId(userId, id, thread.path),
    servedModels(),
    pageMessages(prisma, id, thread.path.slice(olderCount), thread),
  ]);
  // While an answer streams (here or on another instance), the client resumes the live stream, which
  // brings that message itself — appended to its earlier text when it is a continuation.
  const messages = newest.filter((m) => m.id !== live || m.parts.length > 0);
  // A model the endpoint no longer serves: the conversation goes on on the instance default.
  const servedNow = row.model === AUTO_MODEL_ID ? autoCandidatesOf(served).length > 0 : served.some((m) => m.id === row.model);
  const settings = {
    model: servedNow ? row.model : await defaultModelId(served),
    systemPrompt: row.systemPrompt,
    temperature: row.temperature,
    thinking: row.thinking,
    reasoningEffort: reasoningEffortSchema.nullable().catch(null).parse(row.reasoningEffort),
    webSearch: row.webSearch,
  };
  return {
    ...summary(row),
    settings,
    ...(servedNow ? {} : { retiredModel: row.model }),
    messages,
    olderCount,
    streaming: live !== undefined,
  };
}

/**
 * The `limit` messages of the current path right before `before` (a message the thread has) — reaching
 * back to `to` and a page before it when `to` is given (a `#message-` link to an old message). Null when
 * the conversation is not the user's or either message is not on its current path (another branch).
 */
export async function getOlderMessages(
  userId: string,
  id: string,
  { before, to, limit = THREAD_PAGE }: { before: string; to?: string; limit?: number },
): Promise<ThreadPage | null> {
  if (!isUuid(id)) return null;
  const prisma = await db();
  const row = await prisma.conversation.findFirst({ where: { id, userId, deletedAt: null }, select: { leafId: true } });
  if (!row) return null;
  const thread = await loadPath(prisma, id, row.leafId);
  const indexOf = (messageId: string) => thread.path.findIndex((m) => m.id === messageId);
  const end = indexOf(before);
  const target = to === undefined ? end : indexOf(to);
  if (end === -1 || target === -1) return null;
  const from = Math.max(0, Math.min(end, target) - limit);
  return { messages: await pageMessages(prisma, id, thread.path.slice(from, end), thread), olderCount: from };
}

/**
 * The id of the answer the client should resume: one generated here, or — only when the current path's
 * last answer is still `streaming`, so a normal page load never asks Redis — that answer on another instance.
 */
async function liveAnswerId(
  userId: string,
  id: string,
  path: ReadonlyArray<{ id: string; role: string; status: string }>,
): Promise<string | undefined> {
  const local = activeStreams.get(id);
  if (local) return local.messageId;
  const last = path.at(-1);
  if (last?.role !== 'assistant' || last.status !== 'streaming') return undefined;
  const shared = await activeStreams.live(id, userId);
  return shared?.messageId === last.id ? last.id : undefined;
}

/**
 * Whether `messageId` is the end of the conversation's current path (each turn makes its answer the leaf;
 * with none remembered, the newest message — the thread's rule, lib/chat/tree.ts), an answer, in the user's
 * conversation that is not deleted: what an answer found in Redis must be to be resumed.
 */
export async function isCurrentAnswer(userId: string, id: string, messageId: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const prisma = await db();
  const row = await prisma.conversation.findFirst({ where: { id, userId, deletedAt: null }, select: { leafId: true } });
  if (!row) return false;
  const select = { id: true, role: true } as const;
  const leaf = row.leafId ? await prisma.message.findFirst({ where: { id: row.leafId, conversationId: id }, select }) : null;
  const current = leaf ?? (await prisma.message.findFirst({ where: { conversationId: id }, orderBy: { seq: 'desc' }, select }));
  return current?.role === 'assistant' && current.id === messageId;
}

export type SwitchOutcome = 'switched' | 'not_found' | 'busy';

/**
 * Shows the branch through `messageId` (one of a message's alternatives): the current leaf becomes the
 * newest message under it. Refused while an answer is live in the conversation (its stream is the leaf).
 */
export async function switchBranch(userId: string, id: string, messageId: string): Promise<SwitchOutcome> {
  if (!isUuid(id)) return 'not_found';
  const prisma = await db();
  const rows = await prisma.message.findMany({
    where: { conversationId: id, conversation: { userId, deletedAt: null } },
    select: { id: true, parentId: true, seq: true },
  });
  const leaf = newestLeafUnder(rows, messageId);
  if (!leaf) return 'not_found';
  if (activeStreams.get(id)) return 'busy';
  const staleAfterMs = config().recovery.staleAfterMs;
  const updated = await prisma.$executeRaw`
    UPDATE "Conversation" SET "leafId" = ${leaf.id}
    WHERE id = ${id}::uuid AND "userId" = ${userId}::uuid AND "deletedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "Message" WHERE "conversationId" = ${id}::uuid AND status = 'streaming'
        AND "updatedAt" > now() - ${staleAfterMs} * interval '1 millisecond')`;
  return updated === 1 ? 'switched' : 'busy';
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
    data: {
      model: settings.model,
      systemPrompt: settings.systemPrompt,
      temperature: settings.temperature,
      thinking: settings.thinking,
      reasoningEffort: settings.reasoningEffort,
      webSearch: settings.webSearch,
    },
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
  // Also on another instance; the local abort happens before this returns.
  if (count === 1) void activeStreams.abort(id, userId, 'deleted');
  return count === 1;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

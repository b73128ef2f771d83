// Export and import of one conversation (format: lib/chat/transfer-format.ts). Export reads only the user's
// own conversation; import always creates a new conversation owned by the importer with new ids — nothing
// in the file names a row of this database. Images and documents are not carried (the file says how many
// images and which documents there were).
import 'server-only';
import { db } from '@/lib/db';
import { stripBidiControls } from '@/lib/security/unicode';
import { isUuid, MAX_TITLE_CHARS } from './conversations';
import { type ConversationExport, EXPORT_FORMAT, EXPORT_VERSION, type ExportedMessage, currentPath as fileCurrentPath } from './transfer-format';
import { currentPath } from './tree';
import type { ConversationSummary } from './types';

type StoredStatus = 'complete' | 'streaming' | 'stopped' | 'error' | 'interrupted';

function exportedParts(parts: unknown): { parts: ExportedMessage['parts']; imagesOmitted: number } {
  const list = Array.isArray(parts) ? (parts as Array<{ type?: unknown; text?: unknown }>) : [];
  return {
    parts: list.flatMap((p) => ((p.type === 'text' || p.type === 'reasoning') && typeof p.text === 'string' ? [{ type: p.type, text: p.text }] : [])),
    imagesOmitted: list.filter((p) => p.type === 'file').length,
  };
}

/** The user's conversation as an export file, or null when it is missing, deleted or someone else's. */
export async function exportConversation(userId: string, id: string): Promise<ConversationExport | null> {
  if (!isUuid(id)) return null;
  const prisma = await db();
  const row = await prisma.conversation.findFirst({
    where: { id, userId, deletedAt: null },
    include: { messages: { orderBy: { seq: 'asc' } }, documents: { select: { name: true }, orderBy: { createdAt: 'asc' } } },
  });
  if (!row) return null;
  // The whole tree, parents before children (seq order), the current path's leaf last: the file's last
  // message is the branch last shown (transfer-format.ts currentPath).
  const leaf = currentPath(row.messages, row.leafId).at(-1);
  const isLeaf = leaf !== undefined && !row.messages.some((m) => m.parentId === leaf.id);
  const ordered = leaf && isLeaf ? [...row.messages.filter((m) => m.id !== leaf.id), leaf] : row.messages;
  const messages: ExportedMessage[] = ordered.map((m) => ({
    id: m.id,
    parentId: m.parentId,
    role: m.role,
    createdAt: m.createdAt.toISOString(),
    model: m.model,
    status: m.status === 'streaming' ? 'interrupted' : m.status,
    ...exportedParts(m.parts),
  }));
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    conversation: {
      title: row.title,
      model: row.model,
      systemPrompt: row.systemPrompt,
      thinking: row.thinking,
      reasoningEffort: row.reasoningEffort === 'low' || row.reasoningEffort === 'high' || row.reasoningEffort === 'max' ? row.reasoningEffort : null,
      webSearch: row.webSearch,
      createdAt: row.createdAt.toISOString(),
      documentsOmitted: row.documents.map((d) => d.name),
    },
    messages,
  };
}

/**
 * A new conversation of `userId` from a validated export file: the path ending at its last message (a
 * conversation with branches comes back as the branch last shown), new ids, the importer as owner.
 * Returns the new conversation as the sidebar lists it.
 */
export async function importConversation(userId: string, file: ConversationExport): Promise<ConversationSummary> {
  const prisma = await db();
  const id = crypto.randomUUID();
  const c = file.conversation;
  const path = fileCurrentPath(file.messages);
  // New ids, each message under the one before it: one path, its last message the current leaf.
  const ids = path.map(() => crypto.randomUUID());
  const [created] = await prisma.$transaction([
    prisma.conversation.create({
      data: {
        id,
        userId,
        title: stripBidiControls(c.title).trim().slice(0, MAX_TITLE_CHARS),
        model: c.model,
        systemPrompt: c.systemPrompt,
        thinking: c.thinking,
        reasoningEffort: c.reasoningEffort,
        webSearch: c.webSearch,
      },
    }),
    // One row per statement keeps `seq` in the file's order.
    ...path.map((m, i) =>
      prisma.message.create({
        data: {
          id: ids[i] as string,
          parentId: i === 0 ? null : (ids[i - 1] as string),
          conversationId: id,
          role: m.role,
          parts: m.parts,
          status: m.status satisfies StoredStatus,
          model: m.role === 'assistant' ? (m.model ?? null) : null,
          createdAt: new Date(m.createdAt),
        },
      }),
    ),
    prisma.conversation.update({ where: { id }, data: { leafId: ids.at(-1) ?? null } }),
  ]);
  return { id, title: created.title, model: created.model, updatedAt: created.updatedAt.toISOString(), pinned: false, archived: false };
}

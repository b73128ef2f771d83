// What a turn reads from the database, in one statement: the conversation (if any) with every message,
// its documents' text and stored token counts, and the user's custom instructions. The context meter
// (./context-budget) reads the same, so it measures what the turn will send. Through Prisma's
// query builder this was five statements a turn (conversation, messages, documents, their text, the
// preference) and a query plan compiled for each batch; on the embedded database each statement costs
// the server's own thread.
import 'server-only';
import type { PrismaClient } from '@/lib/db';
import type { Message } from '@/lib/db/generated/client';
import { prepared } from '@/lib/db/statement-names';
import type { PromptDocument } from './prepare-turn';
import type { ChatUIMessage } from './types';

/** A message row as the turn uses it (parts as stored: the AI SDK's UI parts). */
export type StoredMessage = Pick<Message, 'id' | 'seq' | 'parentId' | 'role' | 'status' | 'model' | 'cutReason'> & {
  parts: ChatUIMessage['parts'];
};

export interface TurnRead {
  /** null: no conversation with this id (the first message of a new chat). */
  conversation: {
    userId: string;
    deletedAt: Date | null;
    title: string;
    /** The chat's stored system prompt (a turn takes it from the request's settings; the meter from here). */
    systemPrompt: string;
    leafId: string | null;
    /** In conversation order (seq). */
    messages: StoredMessage[];
    /** Oldest first, with their text and stored counts. */
    documents: PromptDocument[];
  } | null;
  /** The user's custom instructions ('' when none). */
  customInstructions: string;
}

interface Row {
  customInstructions: string | null;
  found: boolean;
  userId: string | null;
  deletedAt: Date | null;
  title: string | null;
  systemPrompt: string | null;
  leafId: string | null;
  messages: Array<Omit<StoredMessage, 'seq'> & { seq: string }> | null;
  documents: PromptDocument[] | null;
}

export async function readTurn(prisma: PrismaClient, userId: string, conversationId: string): Promise<TurnRead> {
  // seq is a bigint: as text inside JSON, so no precision is lost on the way.
  const [row] = await prisma.$queryRaw<Row[]>(prepared`
    SELECT (SELECT "customInstructions" FROM "UserPreference" WHERE "userId" = ${userId}::uuid) AS "customInstructions",
      c.id IS NOT NULL AS found, c."userId"::text AS "userId", c."deletedAt", c.title, c."systemPrompt", c."leafId",
      (SELECT json_agg(json_build_object('id', m.id, 'seq', m.seq::text, 'parentId', m."parentId", 'role', m.role,
          'parts', m.parts, 'status', m.status, 'model', m.model, 'cutReason', m."cutReason") ORDER BY m.seq)
        FROM "Message" m WHERE m."conversationId" = c.id) AS messages,
      (SELECT json_agg(json_build_object('name', d.name, 'content', json_build_object('text', t.text, 'tokens', t.tokens))
          ORDER BY d."createdAt", d.id)
        FROM "Document" d JOIN "ExtractedText" t ON t.sha256 = d.sha256 WHERE d."conversationId" = c.id) AS documents
    FROM (SELECT 1) AS one LEFT JOIN "Conversation" c ON c.id = ${conversationId}::uuid`);
  const customInstructions = row?.customInstructions ?? '';
  if (!row?.found) return { conversation: null, customInstructions };
  return {
    conversation: {
      userId: row.userId ?? '',
      deletedAt: row.deletedAt,
      title: row.title ?? '',
      systemPrompt: row.systemPrompt ?? '',
      leafId: row.leafId,
      messages: (row.messages ?? []).map((m) => ({ ...m, seq: BigInt(m.seq) })),
      documents: row.documents ?? [],
    },
    customInstructions,
  };
}

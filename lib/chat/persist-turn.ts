// The writes of a turn: the start (conversation, user message, an assistant placeholder marked
// `streaming`) runs in parallel with the upstream call; the finish saves the answer and its usage row
// in one transaction, so an answer and its cost are recorded together or not at all.
import 'server-only';
import type { ChatUIMessage, CutReason, MessageStatus } from '@/lib/chat/types';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/db/generated/client';
import { prepared } from '@/lib/db/statement-names';
import type { AppError } from '@/lib/errors';
import { commitStatementWithUsage } from '@/lib/usage/ledger';
import type { PreparedTurn } from './prepare-turn';

/** The user message's id is already a message's (ids come from the browser): nothing of the turn was written. */
export class MessageIdTakenError extends Error {
  override name = 'MessageIdTakenError';
}

/** Another instance is generating an answer in this conversation: nothing of the turn was written. */
export class ConversationBusyError extends Error {
  override name = 'ConversationBusyError';
}

/**
 * One statement, not a transaction of several: the first text waits for it, and with the embedded
 * database every statement runs on the server's thread. Conversation upserted (its settings remembered, its
 * current leaf the new answer), then the user message and the answer's placeholder inserted in that order
 * under their parents (an edit or a regenerate adds a branch; nothing is deleted). The statement writes nothing
 * if the user message's id is taken (ids are global), if the conversation is another user's, or if an
 * answer is live in it (streaming, and touched by its instance's heartbeat lately): this process refuses
 * a second answer before it gets here; this is the check that holds across instances.
 */
export async function persistTurnStart(userId: string, turn: PreparedTurn, assistantId: string): Promise<void> {
  if (turn.continued) return persistContinueStart(userId, turn);
  const prisma = await db();
  const { conversationId: id, settings } = turn;
  const ids = turn.userMessage ? [turn.userMessage.id, assistantId] : [assistantId];
  const staleAfterMs = config().recovery.staleAfterMs;
  // The answer follows the new user message, or (regenerate) the message it answers again; nothing is replaced.
  const answerParent = turn.userMessage?.id ?? turn.parentId;
  const rows = [
    ...(turn.userMessage
      ? [Prisma.sql`(${turn.userMessage.id}, 'user', ${JSON.stringify(turn.userMessage.parts)}, 'complete', NULL, ${turn.parentId}::text, 0)`]
      : []),
    Prisma.sql`(${assistantId}, 'assistant', '[]', 'streaming', ${turn.servedModel.id}, ${answerParent}::text, 1)`,
  ];
  const inserted = await prisma.$executeRaw(prepared`
    WITH conversation AS (
      INSERT INTO "Conversation" (id, "userId", model, "systemPrompt", temperature, thinking, "reasoningEffort", "webSearch", "leafId", "updatedAt")
      SELECT ${id}::uuid, ${userId}::uuid, ${settings.model}::text, ${settings.systemPrompt}::text, ${settings.temperature}::double precision,
        ${settings.thinking}::boolean, ${settings.reasoningEffort}::text, ${settings.webSearch}::boolean, ${assistantId}::text, now()
      WHERE NOT EXISTS (SELECT 1 FROM "Message" WHERE id IN (${Prisma.join(ids)}))
        AND NOT EXISTS (SELECT 1 FROM "Message" WHERE "conversationId" = ${id}::uuid AND status = 'streaming'
          AND "updatedAt" > now() - ${staleAfterMs} * interval '1 millisecond')
      ON CONFLICT (id) DO UPDATE SET model = EXCLUDED.model, "systemPrompt" = EXCLUDED."systemPrompt",
        temperature = EXCLUDED.temperature, thinking = EXCLUDED.thinking, "reasoningEffort" = EXCLUDED."reasoningEffort",
        "webSearch" = EXCLUDED."webSearch", "leafId" = EXCLUDED."leafId", "updatedAt" = now()
      WHERE "Conversation"."userId" = EXCLUDED."userId"
      RETURNING id
    )
    INSERT INTO "Message" (id, "conversationId", role, parts, status, model, "parentId", "updatedAt")
    SELECT v.id, conversation.id, v.role::"MessageRole", v.parts::jsonb, v.status::"MessageStatus", v.model, v.parent, now()
    FROM conversation, (VALUES ${Prisma.join(rows)}) AS v(id, role, parts, status, model, parent, position)
    ORDER BY v.position`);
  if (inserted > 0) return;
  // prepareTurn found the conversation free or the user's: the id was taken, or an answer is live.
  const taken = await prisma.message.count({ where: { id: { in: ids } } });
  throw taken > 0
    ? new MessageIdTakenError(`message id ${ids.join(' or ')} is already used`)
    : new ConversationBusyError(`conversation ${id} has a live answer`);
}

/**
 * A continuation writes no new rows: the cut answer goes back to `streaming` (keeping its text) in the
 * same kind of single statement, refused if it is no longer the cut last answer or an answer is live.
 */
async function persistContinueStart(userId: string, turn: PreparedTurn): Promise<void> {
  const prisma = await db();
  const { conversationId: id, settings } = turn;
  const answerId = turn.continued?.id ?? '';
  const staleAfterMs = config().recovery.staleAfterMs;
  const updated = await prisma.$executeRaw(prepared`
    WITH conversation AS (
      UPDATE "Conversation" SET model = ${settings.model}::text, "systemPrompt" = ${settings.systemPrompt}::text,
        temperature = ${settings.temperature}::double precision, thinking = ${settings.thinking}::boolean,
        "reasoningEffort" = ${settings.reasoningEffort}::text,
        "webSearch" = ${settings.webSearch}::boolean, "updatedAt" = now()
      WHERE id = ${id}::uuid AND "userId" = ${userId}::uuid AND "deletedAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "Message" WHERE "conversationId" = ${id}::uuid AND status = 'streaming'
          AND "updatedAt" > now() - ${staleAfterMs} * interval '1 millisecond')
      RETURNING id
    )
    UPDATE "Message" SET status = 'streaming', "cutReason" = NULL, model = ${turn.servedModel.id}, "updatedAt" = now()
    FROM conversation
    WHERE "Message".id = ${answerId} AND "Message"."conversationId" = conversation.id
      AND "Message".status = 'complete' AND "Message"."cutReason" = 'length'`);
  if (updated === 0) throw new ConversationBusyError(`conversation ${id}: answer ${answerId} cannot be continued now`);
}

export interface TurnOutcome {
  /** The whole answer: for a continuation, its earlier parts and the new ones. */
  parts: ChatUIMessage['parts'];
  status: Exclude<MessageStatus, 'streaming'>;
  error?: AppError;
  cutReason?: CutReason;
  /** The turn's ledger rows: one per upstream call (a web-search turn makes several). */
  usage: Prisma.UsageUncheckedCreateInput[];
}

/**
 * The answer saved, the conversation touched and the turn's ledger rows written, all in one statement.
 * The answer row must be there (as Prisma's update required): when it is gone, the statement fails on
 * purpose — the cast of a message that is not a uuid — and writes none of it, ledger rows included.
 */
export async function persistTurnFinish(assistantId: string, outcome: TurnOutcome): Promise<void> {
  const error = outcome.error ? JSON.stringify(outcome.error) : null;
  await commitStatementWithUsage(
    [
      Prisma.sql`answer AS (
        UPDATE "Message" SET parts = ${JSON.stringify(outcome.parts)}::jsonb, status = ${outcome.status}::"MessageStatus",
          error = coalesce(${error}::jsonb, error), "cutReason" = ${outcome.cutReason ?? null}::text, "updatedAt" = now()
        WHERE id = ${assistantId}
        RETURNING "conversationId")`,
    ],
    Prisma.sql`UPDATE "Conversation" SET "updatedAt" = now()
      WHERE id = (SELECT coalesce(max("conversationId"::text), 'the answer row is gone') FROM answer)::uuid`,
    outcome.usage,
  );
}

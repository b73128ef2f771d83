// The writes of a turn: the start (conversation, user message, an assistant placeholder marked
// `streaming`) runs in parallel with the upstream call; the finish saves the answer and its usage row
// in one transaction, so an answer and its cost are recorded together or not at all.
import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/db/generated/client';
import { ledgerWrites, usageWritten } from '@/lib/usage/ledger';
import type { PreparedTurn } from './prepare-turn';
import type { ChatError, ChatUIMessage, MessageStatus } from './types';

export async function persistTurnStart(userId: string, turn: PreparedTurn, assistantId: string): Promise<void> {
  const prisma = await db();
  const { conversationId: id, settings } = turn;
  const writes: Prisma.PrismaPromise<unknown>[] = [
    turn.exists
      ? prisma.conversation.update({
          where: { id },
          data: { model: settings.model, systemPrompt: settings.systemPrompt, temperature: settings.temperature },
        })
      : prisma.conversation.create({
          data: { id, userId, model: settings.model, systemPrompt: settings.systemPrompt, temperature: settings.temperature },
        }),
  ];
  if (turn.replaceFromSeq !== undefined) {
    writes.push(prisma.message.deleteMany({ where: { conversationId: id, seq: { gte: turn.replaceFromSeq } } }));
  }
  if (turn.userMessage) {
    writes.push(
      prisma.message.create({
        data: { id: turn.userMessage.id, conversationId: id, role: 'user', parts: turn.userMessage.parts as unknown as Prisma.InputJsonValue },
      }),
    );
  }
  writes.push(
    prisma.message.create({
      data: { id: assistantId, conversationId: id, role: 'assistant', parts: [], status: 'streaming', model: turn.servedModelId },
    }),
  );
  await prisma.$transaction(writes);
}

export interface TurnOutcome {
  parts: ChatUIMessage['parts'];
  status: Exclude<MessageStatus, 'streaming'>;
  error?: ChatError;
  usage: Prisma.UsageUncheckedCreateInput;
}

export async function persistTurnFinish(turn: PreparedTurn, assistantId: string, outcome: TurnOutcome): Promise<void> {
  const prisma = await db();
  await prisma.$transaction([
    prisma.message.update({
      where: { id: assistantId },
      data: {
        parts: outcome.parts as unknown as Prisma.InputJsonValue,
        status: outcome.status,
        error: outcome.error ? (outcome.error as unknown as Prisma.InputJsonValue) : undefined,
      },
    }),
    ...ledgerWrites(prisma, outcome.usage),
    prisma.conversation.update({ where: { id: turn.conversationId }, data: { updatedAt: new Date() } }),
  ]);
  usageWritten(outcome.usage.userId);
}

/** Only the parts worth keeping: text and reasoning (step markers and transient data are dropped). */
export function storableParts(parts: ChatUIMessage['parts']): ChatUIMessage['parts'] {
  return parts
    .filter((p) => p.type === 'text' || p.type === 'reasoning')
    .map((p) => ({ type: p.type, text: (p as { text: string }).text })) as ChatUIMessage['parts'];
}

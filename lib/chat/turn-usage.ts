// The ledger row of one chat call, from the turn's own terms (its prompt, parts and outcome).
import 'server-only';
import type { Prisma } from '@/lib/db/generated/client';
import type { AppError } from '@/lib/errors';
import type { CountableMessage } from '@/lib/kimi/tokenizer';
import { type UpstreamCall, type UsageRowInput, usageRow } from '@/lib/usage/ledger';
import { textOf } from './message-mapping';
import type { PreparedTurn } from './prepare-turn';
import type { ChatUIMessage, CutReason, MessageStatus } from './types';

function outcomeOf(status: Exclude<MessageStatus, 'streaming'>, cutReason?: CutReason): UsageRowInput['outcome'] {
  if (status === 'complete') return cutReason ?? 'ok';
  return status === 'stopped' ? 'stopped' : 'error';
}

/** The ledger row of a chat answer. */
export function turnUsageRow(args: {
  userId: string;
  turn: PreparedTurn;
  assistantId: string;
  parts: ChatUIMessage['parts'];
  status: Exclude<MessageStatus, 'streaming'>;
  error: AppError | undefined;
  cutReason?: CutReason | undefined;
  call: UpstreamCall;
  /** The model that answered this call, when not the turn's (a web-search fallback). */
  servedModelId?: string;
  /** `$web_search` calls Kimi returned in this call. */
  webSearches?: number;
}): Promise<Prisma.UsageUncheckedCreateInput> {
  const { turn, parts } = args;
  const prompt: CountableMessage[] = [
    ...(turn.system ? [{ role: 'system', content: turn.system }] : []),
    ...turn.messages.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : '' })),
  ];
  return usageRow({
    userId: args.userId,
    conversationId: turn.conversationId,
    messageId: args.assistantId,
    purpose: 'chat',
    requestedModel: turn.requestedModelId,
    servedModel: args.servedModelId ?? turn.servedModel.id,
    prompt,
    text: textOf(parts),
    reasoning: textOf(parts, 'reasoning'),
    call: args.call,
    outcome: outcomeOf(args.status, args.cutReason),
    errorType: args.error?.code ?? null,
    ...(args.webSearches ? { webSearches: args.webSearches } : {}),
  });
}

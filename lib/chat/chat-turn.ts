// One chat turn on the server: start the upstream stream first, write in parallel, stream the answer
// to the browser as the AI SDK UI message stream, and save the answer with its usage row when it ends —
// also when the browser went away (the server reads the stream to the end itself).
import 'server-only';
import { createUIMessageStream, createUIMessageStreamResponse, streamText, type InferUIMessageChunk, type LanguageModelUsage } from 'ai';
import { kimiModel } from '@/lib/kimi/provider';
import { toChatError } from '@/lib/kimi/errors';
import { recordTurnUsage, type UpstreamCall } from '@/lib/usage/ledger';
import { activeStreams } from './active-streams';
import { errorJson } from './http';
import { persistTurnFinish, persistTurnStart, storableParts } from './persist-turn';
import { prepareTurn, type PreparedTurn } from './prepare-turn';
import { generateTitle } from './title';
import type { ChatError, ChatMessageMetadata, ChatRequest, ChatUIMessage, MessageStatus } from './types';

const WRITE_GRACE_MS = 150;

export async function runChatTurn(user: { id: string }, request: ChatRequest, startedAt: number): Promise<Response> {
  const prepared = await prepareTurn(user.id, request);
  if (!prepared.ok) return errorJson(prepared.status, prepared.error);
  const turn = prepared.turn;

  const assistantId = crypto.randomUUID();
  const live = activeStreams.start(turn.conversationId, assistantId, user.id);
  if (!live) return errorJson(409, { code: 'conversation_busy', retryable: true });

  const call: UpstreamCall = { startedAt, ttftMs: null, requestId: null, usage: undefined, error: undefined };
  let failure: ChatError | undefined;

  // The user's message and the answer's placeholder are written once the first token is on its way, or
  // after a short grace period if it is slow. The embedded database runs queries on this thread, so a
  // write in flight would hold the first token back; Kimi's own time to first token hides the write.
  let started: Promise<void> | undefined;
  const startWrites = (): Promise<void> => {
    clearTimeout(grace);
    if (!started) {
      started = persistTurnStart(user.id, turn, assistantId);
      started.catch(() => live.abort('shutdown'));
    }
    return started;
  };
  const grace = setTimeout(startWrites, WRITE_GRACE_MS);

  const result = streamText({
    model: kimiModel(turn.servedModelId),
    system: turn.system,
    messages: turn.messages,
    temperature: turn.call.temperature,
    maxOutputTokens: turn.call.maxOutputTokens,
    providerOptions: turn.call.providerOptions,
    maxRetries: 0,
    abortSignal: live.controller.signal,
    onChunk: () => {
      if (call.ttftMs !== null) return;
      call.ttftMs = Math.round(performance.now() - startedAt);
      setImmediate(startWrites);
    },
    onFinish: (event) => {
      call.usage = event.totalUsage;
      call.requestId = event.response.headers?.['msh-request-id'] ?? null;
    },
    onError: ({ error }) => {
      call.error ??= error;
    },
  });

  let markSaved!: () => void;
  const saved = new Promise<void>((resolve) => (markSaved = resolve));
  const answer = result.toUIMessageStream<ChatUIMessage>({
    generateMessageId: () => assistantId,
    sendReasoning: true,
    messageMetadata: ({ part }): ChatMessageMetadata | undefined => {
      if (part.type === 'start') return { model: turn.servedModelId, status: 'streaming', createdAt: new Date().toISOString() };
      if (part.type === 'finish') return { status: 'complete', usage: metadataUsage(part.totalUsage) };
      return undefined;
    },
    onError: (error) => {
      // The first error is the cause; later ones (e.g. "no output") are its consequences.
      failure ??= toChatError(error, { streamed: call.ttftMs !== null });
      return JSON.stringify(failure);
    },
    onFinish: ({ responseMessage, isAborted }) => {
      const status: Exclude<MessageStatus, 'streaming'> = failure ? 'error' : isAborted || live.controller.signal.aborted ? 'stopped' : 'complete';
      return saveAnswer(user.id, turn, assistantId, responseMessage, status, failure, call, startWrites()).finally(markSaved);
    },
  });

  const stream = createUIMessageStream<ChatUIMessage>({
    execute: async ({ writer }) => {
      writer.merge(answer.pipeThrough(errorsAsMetadata()));
      await saved;
      // The title comes from the first exchange, after the answer: it never delays the first token.
      if (turn.needsTitle && !failure && !live.controller.signal.aborted) {
        const title = await generateTitle(user.id, turn, await result.text);
        if (title) writer.write({ type: 'data-title', data: { title }, transient: true });
      }
    },
  });

  return createUIMessageStreamResponse({
    stream,
    consumeSseStream: async ({ stream: copy }) => {
      // This copy is read to the end whatever the browser does, which keeps the answer flowing.
      const reader = copy.getReader();
      try {
        for (let next = await reader.read(); !next.done; next = await reader.read()) live.push(next.value);
      } finally {
        activeStreams.finish(live);
      }
    },
  });
}

async function saveAnswer(
  userId: string,
  turn: PreparedTurn,
  assistantId: string,
  message: ChatUIMessage,
  status: Exclude<MessageStatus, 'streaming'>,
  error: ChatError | undefined,
  call: UpstreamCall,
  started: Promise<void>,
): Promise<void> {
  try {
    await started;
    const parts = storableParts(message.parts);
    const usage = await recordTurnUsage({ userId, turn, assistantId, parts, status, error, call });
    await persistTurnFinish(turn, assistantId, { parts, status, error, usage });
  } catch (cause) {
    console.error('[chat] could not save the answer', { conversationId: turn.conversationId, cause });
  }
}

function metadataUsage(usage: LanguageModelUsage): ChatMessageMetadata['usage'] {
  return {
    promptTokens: usage.inputTokens ?? 0,
    cachedTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0,
    completionTokens: usage.outputTokens ?? 0,
    reasoningTokens: usage.outputTokenDetails?.reasoningTokens ?? 0,
  };
}

/** Upstream errors become the answer's metadata (shown in the thread, translated), not a broken stream. */
function errorsAsMetadata() {
  type Chunk = InferUIMessageChunk<ChatUIMessage>;
  return new TransformStream<Chunk, Chunk>({
    transform(chunk, controller) {
      if (chunk.type !== 'error') return controller.enqueue(chunk);
      let error: ChatError;
      try {
        error = JSON.parse(chunk.errorText) as ChatError;
      } catch {
        error = { code: 'internal', retryable: true };
      }
      controller.enqueue({ type: 'message-metadata', messageMetadata: { status: 'error', error } });
    },
  });
}

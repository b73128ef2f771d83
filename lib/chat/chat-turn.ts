// One chat turn on the server: start the upstream stream first, write in parallel, stream the answer
// to the browser as the AI SDK UI message stream, and save the answer with its usage row when it ends —
// also when the browser went away (the server reads the stream to the end itself).
import 'server-only';
import { type InferUIMessageChunk, type LanguageModelUsage, stepCountIs, streamText } from 'ai';
import { answerResponse } from '@/lib/chat/answer-stream';
import { type DirectAnswerEnd, directAnswer } from '@/lib/chat/direct-answer';
import type { ChatMessageMetadata, ChatRequest, ChatUIMessage, CutReason, MessageStatus } from '@/lib/chat/types';
import { config } from '@/lib/config';
import type { MessageDetails } from '@/lib/contracts';
import type { Prisma } from '@/lib/db/generated/client';
import { forgetKimiImageFile } from '@/lib/documents/kimi-images';
import type { AppError } from '@/lib/errors';
import { errorJson } from '@/lib/http';
import { toAppError } from '@/lib/kimi/errors';
import { kimiModel } from '@/lib/kimi/provider';
import { MAX_SEARCH_ROUNDS, WEB_SEARCH_TOOL } from '@/lib/kimi/web-search';
import { recordUsage, type UpstreamCall } from '@/lib/usage/ledger';
import { type DetailRow, detailsOf, messageDetails } from '@/lib/usage/message-details';
import { activeStreams } from './live';
import { ConversationBusyError, MessageIdTakenError, persistTurnFinish, persistTurnStart } from './persist-turn';
import { type PreparedTurn, prepareTurn } from './prepare-turn';
import { generateTitle } from './title';
import { afterEarlierTurnStarts, type TurnStart } from './turn-starts';
import { turnUsageRow } from './turn-usage';
import { type SearchStep, searchPlan, webSearchTool } from './web-search';

/** `start` is ended here: at the answer's first words, or when the turn ends without any. */
export async function runChatTurn(user: { id: string }, request: ChatRequest, startedAt: number, start: TurnStart): Promise<Response> {
  const prepared = await prepareTurn(user.id, request);
  if (!prepared.ok) {
    start.end();
    return errorJson(prepared.status, prepared.error);
  }
  const turn = prepared.value;

  // A continuation streams into the answer it extends (the browser appends to that message).
  const assistantId = turn.continued?.id ?? crypto.randomUUID();
  const live = activeStreams.start(turn.conversationId, assistantId, user.id);
  if (!live) {
    start.end();
    return errorJson(409, { code: 'conversation_busy', retryable: true });
  }

  const call: UpstreamCall = { startedAt, ttftMs: null, requestId: null, usage: undefined, error: undefined };
  let cutReason: CutReason | undefined;
  // Web search: each upstream call of the round trip that ended in `$web_search` calls (its own ledger row).
  const plan = turn.webSearch ? searchPlan(turn) : undefined;
  const searchSteps: SearchStep[] = [];
  const searchArgs = new Map<string, string>();
  /** The model that answered the current call (a refused always-thinking search falls back). */
  let answeringModel = turn.servedModel.id;

  // The user's message and the answer's placeholder are written while Kimi works on the first token;
  // the browser sees no text before they are saved, and no `finish` before the answer is (below).
  let started: Promise<void> | undefined;
  let startFailed: AppError | undefined;
  const startWrites = (): Promise<void> => {
    if (!started) {
      started = persistTurnStart(user.id, turn, assistantId);
      started.catch((cause: unknown) => {
        startFailed = startFailure(cause);
        live.abort('shutdown');
      });
    }
    return started;
  };

  // No first token, or no next chunk, within the configured time: give up with a clear timeout.
  const { firstTokenTimeoutMs, stallTimeoutMs } = config().kimi;
  let timedOut = false;
  let watchdog = setTimeout(() => {
    timedOut = true;
    live.abort('timeout');
  }, firstTokenTimeoutMs);

  const onContent = () => {
    if (call.ttftMs !== null) {
      watchdog.refresh();
      return;
    }
    call.ttftMs = Math.round(performance.now() - startedAt);
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      timedOut = true;
      live.abort('timeout');
    }, stallTimeoutMs);
  };

  // A regenerated answer is one of several: the thread shows its ‹ n / n › switch at once.
  const startMetadata = (): ChatMessageMetadata => ({
    model: turn.servedModel.id,
    status: 'streaming',
    ...(turn.answerSiblings.length > 0 ? { siblings: [...turn.answerSiblings, assistantId] } : {}),
    ...(turn.continued ? {} : { createdAt: new Date().toISOString() }),
  });
  const finishMetadata = (usage: LanguageModelUsage): ChatMessageMetadata => ({
    status: 'complete',
    usage: metadataUsage(usage),
    ...(answeringModel !== turn.servedModel.id ? { searchFallback: { from: turn.servedModel.id, to: answeringModel } } : {}),
  });

  // A plain turn is read straight from Kimi's stream (./direct-answer); a search's tool round trips go
  // through streamText.
  let answer: AsyncIterable<Chunk>;
  /** Copies how the call ended into `call` and `cutReason` (streamText's onFinish does it on its path). */
  let callEnded = () => {};
  if (!plan) {
    const end: DirectAnswerEnd = { usage: undefined, finishReason: 'other', requestId: null, error: undefined };
    answer = directAnswer(
      {
        modelId: turn.servedModel.id,
        system: turn.system,
        messages: turn.messages,
        settings: turn.call,
        signal: live.controller.signal,
        start: { type: 'start', messageId: assistantId, messageMetadata: startMetadata() },
        finishMetadata,
        onContent,
      },
      end,
    );
    callEnded = () => {
      cutReason = cutReasonOf(end.finishReason);
      call.usage = end.usage;
      call.requestId = end.requestId;
      call.error ??= end.error;
    };
  } else {
    const result = streamText({
      model: kimiModel(turn.servedModel.id),
      system: turn.system,
      messages: turn.messages,
      // Documents travel as system messages, as Moonshot recommends.
      allowSystemInMessages: true,
      temperature: turn.call.temperature,
      maxOutputTokens: turn.call.maxOutputTokens,
      providerOptions: plan.providerOptions,
      tools: { [WEB_SEARCH_TOOL]: webSearchTool(searchArgs) },
      headers: plan.headers,
      // Up to MAX_SEARCH_ROUNDS searching calls; the call after them is offered no tool and must answer.
      stopWhen: stepCountIs(MAX_SEARCH_ROUNDS + 1),
      prepareStep: ({ stepNumber }: { stepNumber: number }) => ({
        ...(answeringModel !== turn.servedModel.id ? { model: kimiModel(answeringModel), providerOptions: plan.fallbackOptions } : {}),
        ...(stepNumber >= MAX_SEARCH_ROUNDS ? { activeTools: [] } : {}),
      }),
      maxRetries: 0,
      abortSignal: live.controller.signal,
      onChunk: ({ chunk }) => {
        // The search's arguments exactly as Kimi sent them: the tool message echoes them unchanged.
        if (chunk.type === 'tool-input-delta') searchArgs.set(chunk.id, (searchArgs.get(chunk.id) ?? '') + chunk.delta);
        onContent();
      },
      onStepFinish: (step) => {
        answeringModel = step.response.modelId || answeringModel;
        if (step.finishReason !== 'tool-calls') return;
        // A searching call is over: it gets its own row; the next call starts its own clock.
        const now = performance.now();
        searchSteps.push({
          call: { ...call, usage: step.usage, requestId: step.response.headers?.['msh-request-id'] ?? null, endedAt: now },
          servedModel: answeringModel,
          text: step.text,
          reasoning: step.reasoningText ?? '',
          webSearches: step.toolCalls.filter((c) => c.toolName === WEB_SEARCH_TOOL).length,
        });
        Object.assign(call, { startedAt: now, ttftMs: null, requestId: null, usage: undefined });
      },
      onFinish: (event) => {
        cutReason = cutReasonOf(event.finishReason);
        // The last call's own usage: earlier calls of a search round have their rows already.
        call.usage = searchSteps.length > 0 ? event.usage : event.totalUsage;
        call.requestId = event.response.headers?.['msh-request-id'] ?? null;
      },
      onError: ({ error }) => {
        call.error ??= error;
      },
    });
    answer = result.toUIMessageStream<ChatUIMessage>({
      generateMessageId: () => assistantId,
      sendReasoning: true,
      messageMetadata: ({ part }): ChatMessageMetadata | undefined => {
        if (part.type === 'start') return startMetadata();
        if (part.type === 'finish') return finishMetadata(part.totalUsage);
        return undefined;
      },
      onError: (error) => JSON.stringify(toAppError(error, { streamed: call.ttftMs !== null })),
    });
  }

  // After the upstream request is on its way: the embedded database runs queries on this thread.
  setImmediate(startWrites);

  // A new conversation's title is asked for once its first words are stored (Kimi is answering, the
  // conversation row exists); it is usually ready long before the answer ends, so the stream rarely stays
  // open for it after the answer (a short answer waits for it).
  let title: Promise<void> | undefined;
  /** Where a ready title goes: the response's `emit` while it is open. */
  let emitTitle: (chunk: Chunk) => void = () => {};
  /** Once the answer has ended, its stream waits for the title: the title stops yielding to other turns. */
  const answerEnded = new AbortController();
  const beforeText = async (): Promise<void> => {
    try {
      await startWrites();
    } finally {
      start.end();
    }
    if (turn.needsTitle)
      title ??= titleOnce(turn.conversationId, () => generateTitle(user.id, turn), answerEnded.signal).then((text) => {
        if (text) emitTitle({ type: 'data-title', data: { title: text }, transient: true });
      });
  };

  // Every way an answer can end (finished, stopped, timed out, an error part, a broken connection)
  // passes through here once: the thread gets the outcome as metadata, and the answer is saved.
  const settled = settleAnswer(answer, beforeText, async (parts, error) => {
    start.end();
    clearTimeout(watchdog);
    callEnded();
    const stored = await startWrites().then(
      () => true,
      () => false,
    ); // a failed start decides the outcome
    // Our own abort explains whatever error it caused: a timeout is the error, a Stop is no error at all.
    const aborted = live.controller.signal.aborted;
    const failure: AppError | undefined = startFailed ?? (timedOut ? { code: 'upstream_timeout', retryable: true } : aborted ? undefined : error);
    if (failure?.code === 'image_file_gone') await forgetKimiImageFile(String(failure.params?.fileId)).catch(() => undefined);
    const status: Exclude<MessageStatus, 'streaming'> = failure ? 'error' : aborted ? 'stopped' : 'complete';
    const cut = status === 'complete' ? cutReason : undefined;
    const save = await saveAnswer(
      user.id,
      turn,
      assistantId,
      { parts, status, error: failure, cutReason: cut },
      { call, searchSteps, answeringModel },
      stored,
    );
    if (!save.saved) {
      // Never tell the browser an answer finished that is not stored: the thread shows an error it can retry.
      return { saved: false, metadata: { status: 'error', error: { code: 'internal', retryable: true } } };
    }
    // The browser's copy is replaced field by field: say `cutReason` is gone after a continuation.
    const common: ChatMessageMetadata = { ...(save.details ? { details: save.details } : {}), ...(cut || turn.continued ? { cutReason: cut } : {}) };
    if (status === 'complete') return { saved: true, metadata: common };
    const metadata: ChatMessageMetadata =
      status === 'stopped' ? { ...common, status } : { ...common, status, ...(failure ? { error: failure } : {}) };
    return { saved: true, metadata };
  });

  // One stage from the UI message stream to the browser and the resume copy. The title goes out when it is
  // ready, between the answer's chunks or, if the answer was quicker, after it.
  return answerResponse<Chunk>(
    async (emit) => {
      emitTitle = emit;
      try {
        await settled(emit);
      } finally {
        answerEnded.abort();
      }
      // A quicker answer waits for its title; a stopped one does not (the conversation is busy until the
      // stream ends, and the title is saved all the same).
      if (!live.controller.signal.aborted) await title;
      emitTitle = () => {};
    },
    (sse) => live.push(sse),
    () => activeStreams.finish(live),
  );
}

type Chunk = InferUIMessageChunk<ChatUIMessage>;

/** Title calls in flight, by conversation: a turn sent right after a Stop shares the first one's call. */
const titlesInFlight = new Map<string, Promise<string | null>>();

/** How long a title yields to turns that arrived before it and still wait for their first words (./turn-starts). */
const TITLE_YIELD_MAX_MS = 2_000;

/**
 * The conversation's title call, started on a timer (after the first words have usually gone out) and
 * once earlier turns have their first words or its answer has ended (`answerEnded`), unless one is already
 * running in this process. A failure is logged and leaves the conversation untitled.
 */
function titleOnce(conversationId: string, generate: () => Promise<string | null>, answerEnded: AbortSignal): Promise<string | null> {
  const running = titlesInFlight.get(conversationId);
  if (running) return running;
  const started = new Promise((resolve) => setTimeout(resolve, 0))
    .then(() => afterEarlierTurnStarts(TITLE_YIELD_MAX_MS, answerEnded))
    .then(generate)
    .catch((error: unknown) => {
      console.error('[chat] the title could not be generated or saved', error);
      return null;
    })
    .finally(() => titlesInFlight.delete(conversationId));
  titlesInFlight.set(conversationId, started);
  return started;
}
type Parts = ChatUIMessage['parts'];

/**
 * Emits the answer's chunks while collecting its text and reasoning; when it ends — normally, aborted,
 * with an error part, or by throwing (a dropped connection) — calls `onEnd` once and emits the metadata
 * it returns. Error chunks become `status: 'error'` metadata with the typed error. The browser is told
 * only what is saved: the first text waits for `beforeText`, the `finish` chunk for `onEnd` (and is
 * never sent when the answer could not be saved). Returns the loop, to run with the response's `emit`.
 */
function settleAnswer(
  source: AsyncIterable<Chunk>,
  beforeText: () => Promise<void>,
  onEnd: (parts: Parts, error: AppError | undefined) => Promise<{ saved: boolean; metadata: ChatMessageMetadata | undefined }>,
): (emit: (chunk: Chunk) => void) => Promise<void> {
  return async (emit) => {
    const chunks = source[Symbol.asyncIterator]();
    const parts: Array<{ type: 'text' | 'reasoning'; text: string }> = [];
    const open = new Map<string, { text: string }>();
    let error: AppError | undefined;
    let textSeen = false;
    let finish: Chunk | undefined;
    for (;;) {
      let next: IteratorResult<Chunk>;
      try {
        next = await chunks.next();
      } catch (thrown) {
        error ??= toAppError(thrown, { streamed: parts.length > 0 });
        break;
      }
      if (next.done) break;
      const chunk = next.value;
      switch (chunk.type) {
        case 'finish':
          finish = chunk;
          continue;
        case 'text-start':
        case 'reasoning-start': {
          if (!textSeen) {
            textSeen = true;
            // A failed first write aborts the turn: none of its text goes out, its end says why.
            if (
              !(await beforeText().then(
                () => true,
                () => false,
              ))
            ) {
              await chunks.return?.().catch(() => undefined);
              break;
            }
          }
          const part = { type: chunk.type === 'text-start' ? ('text' as const) : ('reasoning' as const), text: '' };
          parts.push(part);
          open.set(`${part.type}:${chunk.id}`, part);
          emit(chunk);
          continue;
        }
        case 'text-delta':
        case 'reasoning-delta': {
          const part = open.get(`${chunk.type === 'text-delta' ? 'text' : 'reasoning'}:${chunk.id}`);
          if (part) part.text += chunk.delta;
          emit(chunk);
          continue;
        }
        case 'error':
          // The first error is the cause; later ones (e.g. "no output") are its consequences.
          error ??= parseChatError(chunk.errorText);
          continue;
        default:
          emit(chunk);
          continue;
      }
      break; // the first write failed
    }
    const { saved, metadata } = await onEnd(parts as Parts, error);
    if (metadata) emit({ type: 'message-metadata', messageMetadata: metadata });
    if (finish && saved) emit(finish);
  };
}

/** Why the turn's first write failed, as the thread shows it (nothing of the turn was stored). */
function startFailure(cause: unknown): AppError {
  if (cause instanceof MessageIdTakenError) return { code: 'bad_request', detail: 'message id already used', retryable: false };
  if (cause instanceof ConversationBusyError) return { code: 'conversation_busy', retryable: true };
  console.error('[chat] could not store the turn', cause);
  return { code: 'internal', retryable: true };
}

function parseChatError(text: string): AppError {
  try {
    return JSON.parse(text) as AppError;
  } catch {
    return { code: 'internal', retryable: true };
  }
}

interface AnswerEnd {
  /** This call's parts (a continuation's earlier parts are added here). */
  parts: ChatUIMessage['parts'];
  status: Exclude<MessageStatus, 'streaming'>;
  error: AppError | undefined;
  cutReason: CutReason | undefined;
}

/** Tries to save an answer this many times: each attempt is one transaction (all or nothing), so retrying is safe. */
const SAVE_ATTEMPTS = 3;

/**
 * Saves the answer and its ledger row, retrying a failed transaction (a busy database); returns whether
 * it is stored and the answer's details (all its calls).
 */
async function saveAnswer(
  userId: string,
  turn: PreparedTurn,
  assistantId: string,
  end: AnswerEnd,
  calls: { call: UpstreamCall; searchSteps: readonly SearchStep[]; answeringModel: string },
  /** The turn's first write succeeded: there is an answer row to finish. */
  stored: boolean,
): Promise<{ saved: boolean; details?: MessageDetails }> {
  let usage: Awaited<ReturnType<typeof turnUsageRow>>[] | undefined;
  const unlinked = (rows: typeof usage) => Promise.all((rows ?? []).map((row) => recordUsage({ ...row, conversationId: null, messageId: null })));
  for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
    try {
      usage ??= await Promise.all([
        // Each searching call of the round trip: finished, with Kimi's usage and its searches.
        ...calls.searchSteps.map((step) =>
          turnUsageRow({
            userId,
            turn,
            assistantId,
            parts: [
              { type: 'reasoning', text: step.reasoning },
              { type: 'text', text: step.text },
            ],
            status: 'complete',
            error: undefined,
            call: step.call,
            servedModelId: step.servedModel,
            webSearches: step.webSearches,
          }),
        ),
        turnUsageRow({ userId, turn, assistantId, ...end, call: calls.call, servedModelId: calls.answeringModel }),
      ]);
      // The upstream call happened either way: a turn that could not be stored still goes in the ledger, unlinked.
      if (!stored) {
        await unlinked(usage);
        return { saved: true };
      }
      const parts = turn.continued ? [...turn.continued.parts, ...end.parts] : end.parts;
      await persistTurnFinish(assistantId, { ...end, parts, usage });
      // A new answer's ledger rows are the ones just written: added up here, not read back. A continuation
      // adds to rows written by earlier turns.
      const details = turn.continued
        ? await messageDetails([assistantId]).then(
            (all) => all.get(assistantId),
            () => undefined, // saved; only its details could not be read
          )
        : detailsOf(usage.map(detailRow)).get(assistantId);
      return { saved: true, ...(details ? { details } : {}) };
    } catch (cause) {
      console.error(`[chat] could not save the answer (attempt ${attempt} of ${SAVE_ATTEMPTS})`, { conversationId: turn.conversationId, cause });
      if (attempt < SAVE_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** (attempt - 1)));
    }
  }
  // The call still counts: its usage goes in the ledger unlinked, as for a turn that could not be stored.
  if (usage) await unlinked(usage).catch(() => undefined);
  return { saved: false };
}

/** A ledger row as just written, as the details read it back. */
function detailRow(row: Prisma.UsageUncheckedCreateInput): DetailRow {
  return {
    messageId: row.messageId ?? null,
    requestedModel: row.requestedModel,
    servedModel: row.servedModel,
    promptTokens: row.promptTokens ?? 0,
    cachedTokens: row.cachedTokens ?? 0,
    completionTokens: row.completionTokens ?? 0,
    reasoningTokens: row.reasoningTokens ?? 0,
    cost: String(row.cost),
    currency: row.currency,
    ttftMs: row.ttftMs ?? null,
    durationMs: row.durationMs ?? 0,
    estimated: row.estimated ?? false,
    webSearches: row.webSearches ?? 0,
  };
}

/** Kimi ended the answer early: its budget ran out, or its filter stopped it. */
function cutReasonOf(reason: string): CutReason | undefined {
  if (reason === 'length') return 'length';
  if (reason === 'content-filter') return 'content_filter';
  return undefined;
}

function metadataUsage(usage: LanguageModelUsage): ChatMessageMetadata['usage'] {
  return {
    promptTokens: usage.inputTokens ?? 0,
    cachedTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0,
    completionTokens: usage.outputTokens ?? 0,
    reasoningTokens: usage.outputTokenDetails?.reasoningTokens ?? 0,
  };
}

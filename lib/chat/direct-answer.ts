// A plain turn (no tools) read straight from Kimi's event stream into the UI message stream's chunks: one
// request on node:http (lib/kimi/upstream.ts), its body read as it arrives, each `data:` line parsed once. streamText does the same through a
// chain of web-stream stages per chunk (the provider's parsing and validation, its transforms, the tee
// under fullStream, the UI message stream), which was most of a turn's server CPU (README, Capacity).
// The chunks are the ones streamText sends for such a turn, in the same order — start-step;
// reasoning-start and its deltas; text-start, reasoning-end, the text's deltas; the open parts' ends;
// finish-step; finish — so the browser's contract is unchanged. Web-search turns (tool round trips) go
// through streamText (./chat-turn).
import 'server-only';
import type { FinishReason, InferUIMessageChunk, LanguageModelUsage, ModelMessage } from 'ai';
import type { ChatUIMessage } from '@/lib/chat/types';
import { config } from '@/lib/config';
import { kimiChatRequest } from '@/lib/kimi/chat-request';
import { kimiConnection } from '@/lib/kimi/connection';
import { MAX_RETRY_DELAY_MS, toAppError } from '@/lib/kimi/errors';
import type { CallSettings } from '@/lib/kimi/rules';
import { refusalError, requestUpstream } from '@/lib/kimi/upstream';
import { languageModelUsageOf } from '@/lib/kimi/usage';

type Chunk = InferUIMessageChunk<ChatUIMessage>;

export interface DirectAnswerCall {
  modelId: string;
  system: string | undefined;
  messages: readonly ModelMessage[];
  settings: CallSettings;
  signal: AbortSignal;
  /** The first chunk the browser gets (the UI message stream's `start`, with its metadata). */
  start: Chunk;
  /** The `finish` chunk's metadata, from the call's usage. */
  finishMetadata: (usage: LanguageModelUsage) => ChatUIMessage['metadata'];
  /** A read from Kimi carried answer or reasoning text (the first token, the stall watchdog). */
  onContent: () => void;
}

/** How the call ended, filled in as it streams (streamText's onFinish in the other path). */
export interface DirectAnswerEnd {
  usage: LanguageModelUsage | undefined;
  finishReason: FinishReason;
  requestId: string | null;
  /** What failed the call, as streamText's onError would have seen it (the ledger's row reads it). */
  error: unknown;
}

interface KimiDelta {
  content?: string | null;
  reasoning_content?: string | null;
}
interface KimiChunk {
  choices?: Array<{ delta?: KimiDelta; finish_reason?: string | null; usage?: unknown }>;
  usage?: unknown;
  error?: { message?: unknown; type?: unknown };
}

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
};

const EMPTY_USAGE: LanguageModelUsage = {
  inputTokens: undefined,
  inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
  outputTokens: undefined,
  outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
  totalTokens: undefined,
};

/** A stream error as the UI message stream carries it (settled by chat-turn like streamText's). */
const errorChunk = (error: unknown): Chunk => ({ type: 'error', errorText: JSON.stringify(toAppError(error, { streamed: true })) });

/**
 * The answer's chunks. A refused call throws the AI SDK's APICallError (as the provider would); a dropped
 * connection or an abort throws from the read; an error event in the stream is an `error` chunk. `end`
 * is complete once the generator has finished.
 */
export async function* directAnswer(call: DirectAnswerCall, end: DirectAnswerEnd): AsyncGenerator<Chunk> {
  yield call.start;
  try {
    yield* answerChunks(call, end);
  } catch (error) {
    end.error ??= error;
    throw error;
  }
}

async function* answerChunks(call: DirectAnswerCall, end: DirectAnswerEnd): AsyncGenerator<Chunk> {
  const { baseURL, apiKey } = kimiConnection();
  const url = `${baseURL}/chat/completions`;
  const answer = await requestUpstream(
    {
      url,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(kimiChatRequest(call.modelId, call.system, call.messages, call.settings)),
      signal: call.signal,
    },
    { maxRetries: config().kimi.maxRetries, maxWaitMs: MAX_RETRY_DELAY_MS },
  );
  const requestId = answer.headers['msh-request-id'];
  end.requestId = typeof requestId === 'string' ? requestId : null;
  if (!answer.ok) throw refusalError(url, call.modelId, answer);

  yield { type: 'start-step' };
  const decoder = new TextDecoder();
  let pending = '';
  let reasoningOpen = false;
  let textOpen = false;
  let failed = false;
  let topUsage: unknown;
  let choiceUsage: unknown;
  let finishReason: FinishReason = 'other';
  const out: Chunk[] = [];
  try {
    for await (const piece of answer.body as AsyncIterable<Buffer>) {
      const all = pending + decoder.decode(piece, { stream: true });
      let start = 0;
      let content = false;
      for (let nl = all.indexOf('\n'); nl !== -1; nl = all.indexOf('\n', start)) {
        const line = all.slice(start, nl);
        start = nl + 1;
        if (!line.startsWith('data:')) continue;
        const payload = line.slice(5).trim();
        if (payload === '' || payload === '[DONE]') continue;
        let chunk: KimiChunk;
        try {
          chunk = JSON.parse(payload) as KimiChunk;
        } catch (error) {
          chunk = { error: { message: `Kimi sent an unreadable event: ${error instanceof Error ? error.message : error}` } };
        }
        if (chunk.error) {
          failed = true;
          finishReason = 'error';
          end.error ??= chunk.error;
          out.push(errorChunk(chunk.error));
          continue;
        }
        if (chunk.usage != null) topUsage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        if (choice.usage != null) choiceUsage = choice.usage;
        if (choice.finish_reason != null) finishReason = FINISH_REASONS[choice.finish_reason] ?? 'other';
        const delta = choice.delta;
        if (!delta) continue;
        if (delta.reasoning_content) {
          content = true;
          if (!reasoningOpen) {
            reasoningOpen = true;
            out.push({ type: 'reasoning-start', id: 'reasoning-0' });
          }
          out.push({ type: 'reasoning-delta', id: 'reasoning-0', delta: delta.reasoning_content });
        }
        if (delta.content) {
          content = true;
          if (!textOpen) {
            textOpen = true;
            out.push({ type: 'text-start', id: 'txt-0' });
          }
          if (reasoningOpen) {
            reasoningOpen = false;
            out.push({ type: 'reasoning-end', id: 'reasoning-0' });
          }
          out.push({ type: 'text-delta', id: 'txt-0', delta: delta.content });
        }
      }
      pending = all.slice(start);
      if (content) call.onContent();
      for (const chunk of out) yield chunk;
      out.length = 0;
    }
  } finally {
    // Ended early (an abort, the browser's first write failed): the upstream request goes too.
    if (!answer.body.complete) answer.body.destroy();
  }
  if (reasoningOpen) yield { type: 'reasoning-end', id: 'reasoning-0' };
  if (textOpen) yield { type: 'text-end', id: 'txt-0' };
  end.usage = languageModelUsageOf(topUsage ?? choiceUsage);
  end.finishReason = finishReason;
  yield { type: 'finish-step' };
  // After an error event the answer did not finish: chat-turn's metadata says how it ended.
  if (!failed) yield { type: 'finish', finishReason, messageMetadata: call.finishMetadata(end.usage ?? EMPTY_USAGE) };
}

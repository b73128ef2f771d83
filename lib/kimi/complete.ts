// A short call whose answer nobody watches arrive (a new conversation's title): asked for whole on
// node:http, through the keep-alive agent and retry rules a chat turn uses (./upstream; the caller sets
// how many retries), and read with one JSON parse — no AI SDK, fetch or web streams.
import 'server-only';
import type { LanguageModelUsage, ModelMessage } from 'ai';
import { kimiChatRequest } from './chat-request';
import { kimiConnection } from './connection';
import { MAX_RETRY_DELAY_MS } from './errors';
import type { CallSettings } from './rules';
import { readText, refusalError, requestUpstream } from './upstream';
import { languageModelUsageOf } from './usage';

export interface CompletionCall {
  modelId: string;
  system: string | undefined;
  messages: readonly ModelMessage[];
  settings: CallSettings;
  signal: AbortSignal;
  maxRetries: number;
}

export interface Completion {
  text: string;
  /** Kimi's own counts (undefined if the answer carried none). */
  usage: LanguageModelUsage | undefined;
  requestId: string | null;
}

interface KimiCompletion {
  choices?: Array<{ message?: { content?: unknown }; usage?: unknown }>;
  usage?: unknown;
}

/**
 * Kimi's whole answer. Throws the provider's APICallError for a refusal, the signal's own reason (a
 * TimeoutError for a timeout) once it has fired, and an `AI_`-named error for a 2xx body it cannot read —
 * each maps to the same error code as the provider's would (lib/kimi/errors).
 */
export async function completeUpstream(call: CompletionCall): Promise<Completion> {
  try {
    return await complete(call);
  } catch (error) {
    // node:http reports a fired signal as an AbortError wrapping its reason: a timeout is a timeout.
    throw call.signal.aborted ? call.signal.reason : error;
  }
}

async function complete(call: CompletionCall): Promise<Completion> {
  const { baseURL, apiKey } = kimiConnection();
  const url = `${baseURL}/chat/completions`;
  const { stream_options: _streamOptions, ...streamed } = kimiChatRequest(call.modelId, call.system, call.messages, call.settings);
  const answer = await requestUpstream(
    {
      url,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...streamed, stream: false }),
      signal: call.signal,
    },
    { maxRetries: call.maxRetries, maxWaitMs: MAX_RETRY_DELAY_MS },
  );
  if (!answer.ok) throw refusalError(url, call.modelId, answer);
  const header = answer.headers['msh-request-id'];
  const text = await readText(answer.body);
  let body: KimiCompletion;
  try {
    body = JSON.parse(text) as KimiCompletion;
  } catch (error) {
    throw Object.assign(new Error(`Kimi sent an unreadable answer: ${error instanceof Error ? error.message : error}`), {
      name: 'AI_JSONParseError',
    });
  }
  const choice = body?.choices?.[0];
  const content = choice?.message?.content;
  return {
    text: typeof content === 'string' ? content : '',
    usage: languageModelUsageOf(body?.usage ?? choice?.usage),
    requestId: typeof header === 'string' ? header : null,
  };
}

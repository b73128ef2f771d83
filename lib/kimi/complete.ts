// A short call whose answer nobody watches arrive (a new conversation's title): asked for whole on
// node:http, through the same agent and retries as a chat turn (./upstream), and read with one JSON parse
// — no AI SDK, fetch or web streams. A refusal throws the AI SDK's APICallError, as the provider would.
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
  choices?: Array<{ message?: { content?: string | null }; usage?: unknown }>;
  usage?: unknown;
}

export async function completeUpstream(call: CompletionCall): Promise<Completion> {
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
  const header = answer.headers['msh-request-id'];
  const requestId = typeof header === 'string' ? header : null;
  if (!answer.ok) throw refusalError(url, call.modelId, answer);
  const body = JSON.parse(await readText(answer.body)) as KimiCompletion;
  const choice = body.choices?.[0];
  return { text: choice?.message?.content ?? '', usage: languageModelUsageOf(body.usage ?? choice?.usage), requestId };
}

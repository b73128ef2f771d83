// POST /v1/chat/completions: validation, Kimi's model rules, then a planned reply delivered as JSON or SSE.
import { countMessageTokens } from '../lib/kimi/tokenizer';
import { type Balance, completionCost } from './balance';
import type { PrefixCache } from './cache';
import { contentFilter, invalidRequest, modelNotFound, quotaExceeded, rateLimited, SimError } from './errors';
import { type Exchange, sendJson, setServerTiming } from './exchange';
import { type FaultPlan, type FaultQueue, faultError, mergeFaults, parseFaults } from './faults';
import { checkImages, type ImageFiles } from './images';
import type { LoggedUsage } from './log';
import { type ServedCatalog, sendsTrailingUsage } from './models';
import { type ResolvedOptions, USAGE_SHAPES, type UsageShape } from './options';
import type { RateLimiter } from './ratelimit';
import { buildReply, type Reply, triggersContentFilter } from './reply';
import { applyWindow, decide } from './rules';
import { type ChatBody, chatSchema, parseBody } from './schema';
import { buildSse, pumpSse } from './stream';
import {
  checkToolHistory,
  declaresWebSearch,
  type HistoryMessage,
  WEB_SEARCH,
  WEB_SEARCH_FEE,
  WEB_SEARCH_MESSAGES,
  WEB_SEARCH_THINKING,
  type WebSearchThinking,
} from './web-search';

export interface ChatDeps {
  opts: ResolvedOptions;
  catalog: ServedCatalog;
  cache: PrefixCache;
  balance: Balance;
  limiter: RateLimiter;
  queue: FaultQueue;
  /** The `faults` option / setFaults(), applied to every chat request. */
  standingFaults(): FaultPlan | undefined;
  /** `{org}<{ak}>` as in Kimi's rate-limit messages. */
  account(apiKey: string): string;
  completionId(): string;
  /** Uploaded `purpose=image` files' bytes, for `ms://` image parts. */
  imageFiles: ImageFiles;
}

function requestFaults(deps: ChatDeps, ex: Exchange, model: string): FaultPlan | undefined {
  const header = ex.req.headers['x-sim-fault'];
  let fromHeader: FaultPlan | undefined;
  if (typeof header === 'string') {
    try {
      fromHeader = parseFaults(header);
    } catch (error) {
      throw invalidRequest(`Invalid x-sim-fault header: ${(error as Error).message}`);
    }
  }
  return mergeFaults(deps.standingFaults(), deps.queue.take(model), fromHeader);
}

/** Current mode always sends both detail objects (as recorded from K3); legacy only when they say something. */
function usageOf(promptTokens: number, cachedTokens: number, replies: readonly Reply[], thinking: boolean, fullDetails: boolean): LoggedUsage {
  let completion = 0;
  let reasoning = 0;
  for (const reply of replies) {
    completion += reply.completionTokens;
    reasoning += reply.reasoningTokens;
  }
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
    cached_tokens: cachedTokens,
    ...(cachedTokens > 0 || fullDetails ? { prompt_tokens_details: { cached_tokens: cachedTokens } } : {}),
    ...(thinking || fullDetails ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
  };
}

function logRequest(ex: Exchange, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) return;
  const { messages, ...params } = raw as Record<string, unknown>;
  if (Array.isArray(messages)) ex.entry.messages = messages;
  if (typeof params.model === 'string') ex.entry.model = params.model;
  ex.entry.stream = params.stream === true;
  ex.entry.params = params;
}

function nonStreamBody(id: string, created: number, model: string, replies: readonly Reply[], usage: LoggedUsage): string {
  const choices = replies.map((reply, index) => ({
    index,
    message: {
      role: 'assistant',
      content: reply.content,
      ...(reply.reasoning ? { reasoning_content: reply.reasoning } : {}),
      ...(reply.toolCall
        ? {
            tool_calls: [
              {
                index: 0,
                id: reply.toolCall.id,
                type: reply.toolCall.type,
                function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments },
              },
            ],
          }
        : {}),
    },
    finish_reason: reply.finishReason,
  }));
  return JSON.stringify({ id, object: 'chat.completion', created, model, choices, usage });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `$web_search` with thinking on: the option, or per request the header `x-sim-web-search-thinking`. */
function webSearchThinking(deps: ChatDeps, ex: Exchange): WebSearchThinking {
  const header = ex.req.headers['x-sim-web-search-thinking'];
  return WEB_SEARCH_THINKING.includes(header as WebSearchThinking) ? (header as WebSearchThinking) : deps.opts.webSearchThinking;
}

export async function handleChat(deps: ChatDeps, ex: Exchange, raw: unknown): Promise<void> {
  logRequest(ex, raw);
  const body: ChatBody = parseBody(chatSchema, raw);
  const { catalog } = deps;
  const model = catalog.lookup(body.model);
  if (!model) throw modelNotFound(body.model);

  const faults = requestFaults(deps, ex, body.model);
  if (faults?.error) throw faultError(faults.error, deps.opts.org, deps.account(ex.apiKey), deps.opts.limits?.rpm ?? 3);

  const { thinking, effort } = decide(catalog.mode, model, body);
  const n = body.n ?? 1;
  const stop = body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (stop.length > 5) throw invalidRequest(`Invalid request: stop accepts at most 5 strings (got ${stop.length})`);

  const webSearch = declaresWebSearch(body.tools);
  if (webSearch && thinking && webSearchThinking(deps, ex) === 'refuse') throw invalidRequest(WEB_SEARCH_MESSAGES.thinking);
  // Tool-call history rules (current mode): reasoning_content kept with thinking, searches echoed unchanged.
  const searchTokens = catalog.mode === 'current' ? checkToolHistory(body.messages as HistoryMessage[], thinking) : 0;
  const promptTokens = countMessageTokens(body.messages) + searchTokens + checkImages(body.messages, deps.imageFiles);
  const { served, budget } = applyWindow(catalog.mode, model, promptTokens, body.max_completion_tokens ?? body.max_tokens ?? undefined);
  if (triggersContentFilter(body.messages)) throw contentFilter();

  const reply = buildReply(body.messages, {
    thinking,
    json: body.response_format != null && body.response_format.type !== 'text',
    toolNames: body.tools?.filter((t) => t.type === 'function').map((t) => t.function.name) ?? [],
    webSearch,
    stop,
    budget,
    effort,
    imageFiles: deps.imageFiles,
  });
  const replies: Reply[] = new Array<Reply>(n).fill(reply);

  const { opts } = deps;
  if (deps.balance.available <= 0) throw quotaExceeded(opts.org);
  const tokens = reply.completionTokens * n;
  const delayMs =
    opts.ttftMs + (faults?.slowFirstMs ?? 0) + (faults?.stallMs ?? 0) + (opts.tokensPerSecond > 0 ? (tokens * 1000) / opts.tokensPerSecond : 0);
  const admission = deps.limiter.admit(delayMs);
  if (!admission.ok) throw rateLimited(deps.account(ex.apiKey), admission.limit, admission.value, admission.waitSeconds);
  ex.res.on('close', admission.release);

  const cacheKey = `${ex.apiKey}\u0000${typeof body.prompt_cache_key === 'string' ? body.prompt_cache_key : ''}\u0000${served.id}`;
  const cached = deps.cache.lookupAndRemember(cacheKey, body.messages);
  const current = catalog.mode === 'current';
  const usage = usageOf(promptTokens, cached, replies, thinking, current);
  const id = deps.completionId();
  const created = Math.floor(Date.now() / 1000);
  const delivered = () => {
    ex.entry.usage = usage;
    deps.balance.spend(completionCost(served, usage, opts.currency) + (reply.toolCall?.name === WEB_SEARCH ? WEB_SEARCH_FEE[opts.currency] * n : 0));
  };

  if (body.stream) {
    const shapeHeader = ex.req.headers['x-sim-usage-shape'];
    const shape = USAGE_SHAPES.includes(shapeHeader as UsageShape) ? (shapeHeader as UsageShape) : opts.usageShape;
    const trailingUsage = shape === 'choice+trailing' || (shape === 'model' && current && sendsTrailingUsage(served));
    const sse = buildSse({ id, created, model: served.id }, replies, JSON.stringify(usage), {
      trailingUsage,
      emptyReasoningEnd: current,
      chunkTokens: opts.chunkTokens,
      weigh: opts.tokensPerSecond > 0,
    });
    ex.entry.status = 200;
    setServerTiming(ex);
    const outcome = await pumpSse(ex.res, sse, opts, faults, ex);
    if (outcome === 'done') delivered();
    return;
  }

  if (delayMs > 0) await sleep(delayMs);
  if (ex.entry.aborted) return; // the client left while we "generated"; nothing is sent or billed
  if (faults?.dropAfter !== undefined) {
    ex.simulatorClosed = true;
    ex.res.socket?.destroy();
    return;
  }
  if (faults?.errorEventAfter !== undefined)
    throw new SimError(500, 'server_error', 'The server had an error while processing your request (simulated)');
  sendJson(ex, 200, nonStreamBody(id, created, served.id, replies, usage));
  delivered();
}

// Kimi's built-in web search (kimi-api.md "Web search"): the only code that knows its dialect.
//
// The AI SDK sees `$web_search` as an ordinary function tool, so its multi-step loop runs the round trip;
// this module's fetch wrapper turns each request into what Kimi expects:
// - the declared tool becomes `{"type":"builtin_function","function":{"name":"$web_search"}}`;
// - an assistant `$web_search` call goes back as `builtin_function` with its arguments exactly as the tool
//   message echoes them, and the tool message gets `name: "$web_search"` (Moonshot's guide);
// - thinking rule (README "Web search"): K2.6 searches with thinking off (the caller sends `disabled`); an
//   always-thinking model (K3, K2.7) is tried as it is, and when Kimi refuses the search while thinking (a 400
//   about search or thinking), the same request is sent once to the fallback model named in the
//   `x-kimi-web-search-fallback` header (kimi-k2.6, thinking off). The refused call costs nothing; the
//   response's `model` says who answered.
import { findModel } from './catalog';

export const WEB_SEARCH_TOOL = '$web_search';
/** The price-table row (`Price.model`) whose `input` is the fee per search, in each currency. */
export const WEB_SEARCH_PRICE_MODEL = WEB_SEARCH_TOOL;
/** Moonshot's fee per returned `$web_search` call (kimi-api.md), seeded into the price table. */
export const WEB_SEARCH_FEES = { USD: '0.005', CNY: '0.03' } as const;
/** At most this many upstream calls may search in one turn; the next call is offered no tool and must answer. */
export const MAX_SEARCH_ROUNDS = 5;
/** The model a refused always-thinking search falls back to (thinking off). */
export const WEB_SEARCH_FALLBACK_MODEL = 'kimi-k2.6';
export const FALLBACK_HEADER = 'x-kimi-web-search-fallback';

interface WireMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
}
interface WireBody {
  model: string;
  messages: WireMessage[];
  tools?: Array<{ type: string; function: { name: string } }>;
  thinking?: unknown;
  reasoning_effort?: unknown;
  max_tokens?: number;
  max_completion_tokens?: number;
}

/** Rewrites a chat-completions body that offers or replays `$web_search` into Kimi's dialect (else unchanged). */
export function rewriteWebSearchBody(body: string): string {
  if (!body.includes(`"${WEB_SEARCH_TOOL}"`)) return body;
  const parsed = JSON.parse(body) as WireBody;
  if (parsed.tools) {
    parsed.tools = parsed.tools.map((t) =>
      t.function?.name === WEB_SEARCH_TOOL ? { type: 'builtin_function', function: { name: WEB_SEARCH_TOOL } } : t,
    );
  }
  const echoes = new Map<string, string>();
  for (const m of parsed.messages) if (m.role === 'tool' && m.tool_call_id && typeof m.content === 'string') echoes.set(m.tool_call_id, m.content);
  const searchIds = new Set<string>();
  for (const m of parsed.messages) {
    for (const call of m.tool_calls ?? []) {
      if (call.function.name !== WEB_SEARCH_TOOL) continue;
      searchIds.add(call.id);
      call.type = 'builtin_function';
      const echo = echoes.get(call.id);
      if (echo !== undefined) call.function.arguments = echo;
    }
  }
  for (const m of parsed.messages) if (m.role === 'tool' && m.tool_call_id && searchIds.has(m.tool_call_id)) m.name = WEB_SEARCH_TOOL;
  return JSON.stringify(parsed);
}

/** Kimi refused `$web_search` because the model thinks (wording unconfirmed: any 400 about search or thinking). */
export function isSearchThinkingRefusal(status: number, text: string): boolean {
  return status === 400 && /search|thinking/i.test(text);
}

/** The same request for the fallback model: thinking off, no effort, its own answer budget at most. */
export function fallbackBody(body: string, model: string): string {
  const parsed = JSON.parse(body) as WireBody;
  parsed.model = model;
  parsed.thinking = { type: 'disabled' };
  delete parsed.reasoning_effort;
  const cap = findModel(model)?.defaultMaxTokens;
  if (cap && parsed.max_completion_tokens) parsed.max_completion_tokens = Math.min(parsed.max_completion_tokens, cap);
  if (cap && parsed.max_tokens) parsed.max_tokens = Math.min(parsed.max_tokens, cap);
  return JSON.stringify(parsed);
}

/** Wraps the provider's fetch with the rewrite and the thinking fallback. */
export function webSearchFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    if (typeof init?.body !== 'string' || !init.body.includes(`"${WEB_SEARCH_TOOL}"`)) return inner(input, init);
    const headers = new Headers(init.headers);
    const fallback = headers.get(FALLBACK_HEADER);
    headers.delete(FALLBACK_HEADER);
    const body = rewriteWebSearchBody(init.body);
    const response = await inner(input, { ...init, headers, body });
    if (!fallback || response.ok) return asFunctionCalls(response);
    const text = await response.clone().text();
    if (!isSearchThinkingRefusal(response.status, text)) return response;
    return asFunctionCalls(await inner(input, { ...init, headers, body: fallbackBody(body, fallback) }));
  };
}

const BUILTIN_TYPE = /"type":\s*"builtin_function"/g;

/**
 * The AI SDK's Moonshot provider accepts only `function` tool calls: Kimi's `builtin_function` calls are
 * passed on as `function` (the request rewrite turns them back). Line by line, so no chunk boundary splits one.
 */
function asFunctionCalls(response: Response): Response {
  if (!response.ok || !response.body) return response;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        const cut = pending.lastIndexOf('\n') + 1;
        if (cut === 0) return;
        controller.enqueue(encoder.encode(pending.slice(0, cut).replace(BUILTIN_TYPE, '"type":"function"')));
        pending = pending.slice(cut);
      },
      flush(controller) {
        pending += decoder.decode();
        if (pending) controller.enqueue(encoder.encode(pending.replace(BUILTIN_TYPE, '"type":"function"')));
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

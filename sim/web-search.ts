// Kimi's built-in `$web_search` tool (kimi-api.md "Web search") and the tool-call history rules:
// - declared as {"type":"builtin_function","function":{"name":"$web_search"}};
// - the last user message contains "search the web" (optionally "search the web N times"): the call ends with
//   finish_reason tool_calls and one builtin tool call whose arguments carry a deterministic result and its
//   usage.total_tokens; the search is repeated while fewer than N searches follow the last user message;
// - on the way back the `tool` message's content must equal that call's arguments unchanged (else 400), and
//   each echoed search adds its usage.total_tokens to the next call's prompt tokens;
// - thinking on + `$web_search` declared: refused (option `webSearchThinking: 'refuse'`, Moonshot's guide says
//   to disable thinking) or accepted ('accept');
// - thinking on: an earlier assistant message with tool_calls must carry its reasoning_content (the 400 in
//   kimi-api.md).
import { countTokens } from '../lib/kimi/tokenizer';
import { invalidRequest } from './errors';
import type { ReplyMessage, ToolCall } from './reply';

export const WEB_SEARCH = '$web_search';
/** Fee per returned `$web_search` call (kimi-api.md): charged to the simulated balance. */
export const WEB_SEARCH_FEE = { CNY: 0.03, USD: 0.005 } as const;

export type WebSearchThinking = 'accept' | 'refuse';
export const WEB_SEARCH_THINKING: readonly WebSearchThinking[] = ['accept', 'refuse'];

export const WEB_SEARCH_MESSAGES = {
  // Wording unconfirmed (one public report says "Search request failed" on K3).
  thinking: 'Invalid request: $web_search is not supported when thinking is enabled, please disable thinking',
  echo: 'Invalid request: the content of the $web_search tool message must be the arguments of its tool call, unchanged',
} as const;

const ASKS_TO_SEARCH = /search the web(?: (\d+) times?)?/i;

export interface HistoryMessage extends ReplyMessage {
  tool_calls?: Array<{ id?: string; type?: string; function?: { name?: string; arguments?: string } }> | null;
  tool_call_id?: string | null;
  reasoning_content?: string | null;
  name?: string | null;
}

export function declaresWebSearch(tools: ReadonlyArray<{ type: string; function: { name: string } }> | null | undefined): boolean {
  return tools?.some((t) => t.type === 'builtin_function' && t.function.name === WEB_SEARCH) ?? false;
}

/** Throws Kimi's 400 for tool-call history that breaks a rule; returns the tokens the echoed searches add to the prompt. */
export function checkToolHistory(messages: readonly HistoryMessage[], thinking: boolean): number {
  const searches = new Map<string, string>();
  let added = 0;
  messages.forEach((message, index) => {
    if (message.role === 'assistant' && message.tool_calls?.length) {
      if (thinking && !message.reasoning_content) {
        throw invalidRequest(`thinking is enabled but reasoning_content is missing in assistant tool call message at index ${index}`);
      }
      for (const call of message.tool_calls) {
        if (call.function?.name === WEB_SEARCH && call.id) searches.set(call.id, call.function.arguments ?? '');
      }
    }
    if (message.role === 'tool' && message.tool_call_id && searches.has(message.tool_call_id)) {
      const content = typeof message.content === 'string' ? message.content : null;
      if (content !== searches.get(message.tool_call_id)) throw invalidRequest(WEB_SEARCH_MESSAGES.echo);
      added += searchTokens(content);
    }
  });
  return added;
}

function searchTokens(args: string): number {
  try {
    const total = (JSON.parse(args) as { usage?: { total_tokens?: unknown } }).usage?.total_tokens;
    return typeof total === 'number' && Number.isSafeInteger(total) && total > 0 ? total : 0;
  } catch {
    return 0;
  }
}

function searchIds(messages: readonly HistoryMessage[]): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) for (const c of m.tool_calls ?? []) if (c.function?.name === WEB_SEARCH && c.id) ids.add(c.id);
  return ids;
}

/** A `tool` message answering a `$web_search` call (by its name, or by the call it answers). */
function isSearchResult(message: HistoryMessage | undefined, ids: ReadonlySet<string>): boolean {
  return message?.role === 'tool' && (message.name === WEB_SEARCH || (message.tool_call_id != null && ids.has(message.tool_call_id)));
}

/** How many searches were echoed back after the last user message. */
function searchesSinceUser(messages: readonly HistoryMessage[]): number {
  const ids = searchIds(messages);
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role !== 'user'; i--) if (isSearchResult(messages[i], ids)) count++;
  return count;
}

/** The deterministic search result for `query` (the `n`-th search of the turn, from 1). */
export function searchArguments(query: string, n: number): string {
  const q = query.slice(0, 200);
  const result = {
    search_result: { search_id: `sim-search-${n}`, query: q, summary: `Simulated web results ${n} for: ${q}` },
    usage: { total_tokens: 100 * n + countTokens(q) },
  };
  return JSON.stringify(result);
}

/** A `$web_search` call when the last message is the user's or an echoed search and more searches are asked for. */
export function webSearchCall(messages: readonly HistoryMessage[], lastUser: string): ToolCall | undefined {
  const match = ASKS_TO_SEARCH.exec(lastUser);
  if (!match) return undefined;
  const last = messages[messages.length - 1];
  if (last?.role !== 'user' && !isSearchResult(last, searchIds(messages))) return undefined;
  const wanted = Math.min(Math.max(Number(match[1] ?? 1), 1), 20);
  const done = searchesSinceUser(messages);
  if (done >= wanted) return undefined;
  return { id: `web_search:${done}`, type: 'builtin_function', name: WEB_SEARCH, arguments: searchArguments(lastUser, done + 1) };
}

/** The answer after the searches: names how many were echoed back. */
export function searchedAnswer(messages: readonly HistoryMessage[], lastUser: string): string | undefined {
  const last = messages[messages.length - 1];
  if (!isSearchResult(last, searchIds(messages))) return undefined;
  return `Searched the web ${searchesSinceUser(messages)} times for "${lastUser.slice(0, 80)}". Here is what I found.`;
}

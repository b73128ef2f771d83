// Web search in a chat turn (README "Web search"): the tool the AI SDK runs for `$web_search`, and the
// thinking rule. The Kimi dialect (builtin tool, echo, fallback request) is lib/kimi/web-search.ts.
//
// Thinking rule, for every current model:
// - optional thinking (K2.6): the search turn is sent with thinking off, as Moonshot's guide says;
// - always-thinking models (K3, K2.7): tried as they are; if Kimi refuses `$web_search` while thinking, the
//   same call goes once to kimi-k2.6 with thinking off, the rest of the turn stays on it, and the answer
//   carries a note (`searchFallback`) naming both models;
// - models without thinking: unchanged.
import 'server-only';
import { jsonSchema, tool } from 'ai';
import { FALLBACK_HEADER, WEB_SEARCH_FALLBACK_MODEL } from '@/lib/kimi/web-search';
import type { UpstreamCall } from '@/lib/usage/ledger';
import type { PreparedTurn } from './prepare-turn';

/** One finished call of a search round that ended in `$web_search` calls. */
export interface SearchStep {
  call: UpstreamCall;
  servedModel: string;
  text: string;
  reasoning: string;
  webSearches: number;
}

type ProviderOptions = NonNullable<PreparedTurn['call']['providerOptions']>;

export interface SearchPlan {
  providerOptions: ProviderOptions | undefined;
  headers: Record<string, string> | undefined;
  /** The options of the calls after a fallback (kimi-k2.6, thinking off). */
  fallbackOptions: ProviderOptions;
}

export function searchPlan(turn: PreparedTurn): SearchPlan {
  const fallbackOptions: ProviderOptions = { moonshotai: { thinking: { type: 'disabled' } } };
  const { thinking } = turn.servedModel;
  if (thinking === 'optional') return { providerOptions: fallbackOptions, headers: undefined, fallbackOptions };
  if (thinking === 'always')
    return { providerOptions: turn.call.providerOptions, headers: { [FALLBACK_HEADER]: WEB_SEARCH_FALLBACK_MODEL }, fallbackOptions };
  return { providerOptions: turn.call.providerOptions, headers: undefined, fallbackOptions };
}

/**
 * `$web_search` as the AI SDK sees it: a tool whose result is its own arguments, exactly as Kimi sent them
 * (`rawArguments`, collected from the stream by call id), so the tool message echoes them unchanged.
 */
export function webSearchTool(rawArguments: ReadonlyMap<string, string>) {
  return tool({
    description: "Kimi's built-in web search",
    inputSchema: jsonSchema<Record<string, unknown>>({ type: 'object' }),
    execute: async (input, { toolCallId }) => rawArguments.get(toolCallId) ?? JSON.stringify(input),
    toModelOutput: ({ output }) => ({ type: 'text', value: output }),
  });
}

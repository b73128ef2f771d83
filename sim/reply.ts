// Deterministic replies: a pure function of the request, so tests can predict every character.
// Rules (README "Reply rules"):
// - default: You said: "<last user message, ≤200 chars>". I received <n> messages and <c> characters of system context.
// - last user message contains "reply with N tokens": lorem text of exactly N tokens;
// - "call tool NAME with {json}" and NAME is among `tools`: one tool call, finish_reason tool_calls;
// - last message is a tool result: Tool result received: "<content, ≤200 chars>".
// - `$web_search` declared and the last user message says "search the web [N times]": builtin tool calls, then
//   an answer naming the searches (sim/web-search.ts);
// - response_format json_object/json_schema: the reply wrapped as {"reply": "..."};
// - assistant prefill (partial: true) P: the reply continues after P (P is cut from the reply's start if it matches);
// - thinking: reasoning_content "Thinking about: …" comes first; reasoning + content are capped by the token budget;
// - stop strings cut the content at the first match;
// - reasoning_effort (K3): low < high < max add more deterministic reasoning steps;
// - "cut off after N tokens": this call's content stops after N tokens, finish_reason length (continue it with a
//   partial prefill: the next call gives the next N tokens of the same text);
// - "filter the answer after N tokens": content stops after N tokens, finish_reason content_filter;
// - "trigger content filter": the request is refused with a 400 content_filter error (sim/chat.ts);
// - a system message asks for a "title" (as the app's title generator does): the first six words of the
//   last user message (after a leading "User:" label), so the keyless demo shows sensible titles.
// - the default reply adds " I saw N images: png 2×2, …" for the last user message's image_url parts.
import type { ReasoningEffort } from '../lib/kimi/catalog';
import { readImageInfo } from '../lib/kimi/images';
import { contentText, countTokens } from '../lib/kimi/tokenizer';
import { type ImageFiles, imageOf, imageUrls } from './images';
import { lorem, truncateChars, truncateToTokens } from './text';
import { searchedAnswer, webSearchCall } from './web-search';

export interface ReplyMessage {
  role: string;
  content?: string | null | Array<{ type: string; text?: string }>;
  partial?: boolean | null;
}

export interface ToolCall {
  id: string;
  /** `function`, or `builtin_function` for Kimi's `$web_search`. */
  type: 'function' | 'builtin_function';
  name: string;
  arguments: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface Reply {
  reasoning: string;
  content: string;
  toolCall?: ToolCall;
  finishReason: FinishReason;
  reasoningTokens: number;
  completionTokens: number;
}

export interface ReplyOptions {
  thinking: boolean;
  json: boolean;
  toolNames: readonly string[];
  stop: readonly string[];
  /** Completion budget (reasoning + content), already capped by the window. */
  budget: number;
  /** K3's reasoning effort: more reasoning steps for higher efforts. Undefined: the base sentence only. */
  effort?: ReasoningEffort;
  /** `$web_search` is declared (sim/web-search.ts). */
  webSearch?: boolean;
  /** Uploaded `purpose=image` files, for `ms://` image parts. */
  imageFiles?: ImageFiles;
}

const REPLY_WITH = /reply with (\d+) tokens?/i;
const CUT_OFF = /cut off after (\d+) tokens?/i;
const FILTER_AFTER = /filter the answer after (\d+) tokens?/i;
const TRIGGER_FILTER = /trigger content filter/i;

/** Reasoning steps appended per effort: low < high < max. */
const STEPS = [
  'I read the last user message.',
  'I check which reply rule applies.',
  'I count the tokens the rule asks for.',
  'I keep within the answer budget.',
  'I look for stop strings.',
  'I look at the response format.',
  'I compare the plan with the question once more.',
  'I make sure the answer is deterministic.',
  'I check that nothing is left out.',
  'I write the answer.',
];
const EFFORT_STEPS: Record<ReasoningEffort, number> = { low: 0, high: 4, max: STEPS.length };

const CALL_TOOL = /call tool ([\w.-]+) with (\{[\s\S]*\})/i;
// Only the leading system prompt, and only for conversation titles: documents and user prompts mention "title" too.
const ASKS_FOR_TITLE = /\bconversation titles?\b/i;

function titleFrom(lastUser: string): string {
  const question = lastUser.replace(/^\s*User:\s*/i, '').split('\n')[0] ?? '';
  return question
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6)
    .join(' ')
    .replace(/[.?!,;:]+$/, '');
}

function text(message: ReplyMessage | undefined): string {
  return message ? contentText(message.content ?? null) : '';
}

function quote(value: string): string {
  return `"${truncateChars(value, 200)}"`;
}

function toolCallFor(lastUser: string, toolNames: readonly string[]): ToolCall | undefined {
  const match = CALL_TOOL.exec(lastUser);
  if (!match) return undefined;
  const [, name = '', json = ''] = match;
  if (!toolNames.includes(name)) return undefined;
  try {
    return { id: `${name}:0`, type: 'function', name, arguments: JSON.stringify(JSON.parse(json)) };
  } catch {
    return undefined;
  }
}

/** ` I saw N image(s): png 2×2, …` (decoded from the bytes) for the image parts of a message (already checked by sim/images.ts). */
function seenImages(message: ReplyMessage | undefined, files: ImageFiles): string {
  const seen = imageUrls(message?.content).flatMap((url) => {
    const info = readImageInfo(imageOf(url, files)?.bytes ?? new Uint8Array());
    return info ? [`${info.format} ${info.width}×${info.height}`] : [];
  });
  return seen.length === 0 ? '' : ` I saw ${seen.length} image${seen.length === 1 ? '' : 's'}: ${seen.join(', ')}.`;
}

function lastUserText(messages: readonly ReplyMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === 'user') return text(messages[i]);
  return '';
}

/** The last user message asks for the deterministic content-filter refusal (400 content_filter). */
export function triggersContentFilter(messages: readonly ReplyMessage[]): boolean {
  return TRIGGER_FILTER.test(lastUserText(messages));
}

export function buildReply(messages: readonly ReplyMessage[], options: ReplyOptions): Reply {
  const last = messages[messages.length - 1];
  let lastUserMessage: ReplyMessage | undefined;
  let systemChars = 0;
  const first = messages[0];
  const asksForTitle = first?.role === 'system' && ASKS_FOR_TITLE.test(text(first));
  for (const message of messages) {
    if (message.role === 'user') lastUserMessage = message;
    else if (message.role === 'system') systemChars += text(message).length;
  }
  const lastUser = text(lastUserMessage);
  const steps = options.effort
    ? STEPS.slice(0, EFFORT_STEPS[options.effort])
        .map((step, i) => ` Step ${i + 1}: ${step}`)
        .join('')
    : '';
  const reasoningFull = options.thinking
    ? `Thinking about: ${quote(truncateChars(lastUser, 80))}. The conversation has ${messages.length} messages. I will answer in the simulator's deterministic format.${steps}`
    : '';

  const toolCall =
    (options.webSearch ? webSearchCall(messages, lastUser) : undefined) ??
    (last?.role === 'user' ? toolCallFor(lastUser, options.toolNames) : undefined);
  if (toolCall) {
    const reasoningTokens = countTokens(reasoningFull);
    const completionTokens = reasoningTokens + countTokens(toolCall.name) + countTokens(toolCall.arguments);
    return { reasoning: reasoningFull, content: '', toolCall, finishReason: 'tool_calls', reasoningTokens, completionTokens };
  }

  let reply: string;
  const asked = REPLY_WITH.exec(lastUser);
  const searched = searchedAnswer(messages, lastUser);
  if (searched) reply = searched;
  else if (last?.role === 'tool') reply = `Tool result received: ${quote(text(last))}.`;
  else if (asked) reply = lorem(Number(asked[1]));
  else if (asksForTitle) reply = titleFrom(lastUser);
  else
    reply = `You said: ${quote(lastUser)}. I received ${messages.length} messages and ${systemChars} characters of system context.${seenImages(lastUserMessage, options.imageFiles ?? (() => undefined))}`;
  if (options.json) reply = JSON.stringify({ reply });
  if (last?.role === 'assistant' && last.partial) {
    const prefill = text(last);
    if (reply.startsWith(prefill)) reply = reply.slice(prefill.length);
  }

  let finishReason: FinishReason = 'stop';
  let cut = reply.length;
  for (const stop of options.stop) {
    const at = stop ? reply.indexOf(stop) : -1;
    if (at >= 0 && at < cut) cut = at;
  }
  reply = reply.slice(0, cut);

  const reasoning = truncateToTokens(reasoningFull, options.budget);
  const reasoningTokens = countTokens(reasoning);
  let content = truncateToTokens(reply, options.budget - reasoningTokens);
  if (reasoning.length < reasoningFull.length || content.length < reply.length) finishReason = 'length';
  const cutAt = CUT_OFF.exec(lastUser);
  if (cutAt) {
    const cut = truncateToTokens(content, Number(cutAt[1]));
    if (cut.length < content.length) [content, finishReason] = [cut, 'length'];
  }
  const filterAt = FILTER_AFTER.exec(lastUser);
  if (filterAt) {
    const filtered = truncateToTokens(content, Number(filterAt[1]));
    if (filtered.length < content.length) [content, finishReason] = [filtered, 'content_filter'];
  }
  return { reasoning, content, finishReason, reasoningTokens, completionTokens: reasoningTokens + countTokens(content) };
}

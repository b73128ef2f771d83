// The streamed chat request a plain turn sends Kimi (a title sends the same body unstreamed, ./complete),
// built as the AI SDK's Moonshot provider builds it (@ai-sdk/moonshotai 2.0.61:
// convertToMoonshotAIChatMessages and getArgs) for what a turn can hold — system strings, user text with
// images (bytes as data: URLs, or `ms://` file URLs), assistant text (partial for a continuation) — so a
// turn read straight from Kimi's stream asks exactly what the provider would.
// tests/integration/kimi-chat-request.test.ts holds the two side by side.
import type { ModelMessage } from 'ai';
import type { CallSettings } from './rules';

type KimiContent = string | Array<{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }>;
export interface KimiChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: KimiContent;
  partial?: true;
}

export interface KimiChatRequest {
  model: string;
  max_completion_tokens: number;
  temperature?: number;
  messages: KimiChatMessage[];
  thinking?: { type: 'enabled' | 'disabled' };
  reasoning_effort?: string;
  stream: true;
  stream_options: { include_usage: true };
}

/** A message part a plain turn never holds (tools, other media): reaching one is a bug, and the turn ends with an internal error. */
export class UnsupportedMessageError extends Error {}

function userContent(content: Extract<ModelMessage, { role: 'user' }>['content']): KimiContent {
  if (typeof content === 'string') return content;
  const [only] = content;
  if (content.length === 1 && only?.type === 'text') return only.text;
  return content.map((part) => {
    if (part.type === 'text') return { type: 'text' as const, text: part.text };
    if (part.type === 'file' && part.mediaType.startsWith('image/')) {
      const url =
        part.data instanceof URL
          ? part.data.toString()
          : part.data instanceof Uint8Array
            ? `data:${part.mediaType};base64,${Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength).toString('base64')}`
            : undefined;
      if (url) return { type: 'image_url' as const, image_url: { url } };
    }
    throw new UnsupportedMessageError(`a user message part of type ${part.type}`);
  });
}

function assistantText(content: Extract<ModelMessage, { role: 'assistant' }>['content']): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) {
    if (part.type === 'text') text += part.text;
    else throw new UnsupportedMessageError(`an assistant message part of type ${part.type}`);
  }
  return text;
}

function isPartial(message: ModelMessage): boolean {
  return (message.providerOptions?.moonshotai as { partial?: unknown } | undefined)?.partial === true;
}

export function kimiMessages(system: string | undefined, messages: readonly ModelMessage[]): KimiChatMessage[] {
  const out: KimiChatMessage[] = system === undefined ? [] : [{ role: 'system', content: system }];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content });
        break;
      case 'user':
        out.push({ role: 'user', content: userContent(message.content) });
        break;
      case 'assistant':
        out.push({ role: 'assistant', content: assistantText(message.content), ...(isPartial(message) ? { partial: true as const } : {}) });
        break;
      default:
        throw new UnsupportedMessageError(`a ${message.role} message`);
    }
  }
  return out;
}

/** The provider's model families (getMoonshotAIModelFamily): what each accepts is decided per family. */
function familyOf(modelId: string): string {
  if (modelId === 'kimi-k2.7-code' || modelId === 'kimi-k2.7-code-highspeed') return 'kimi-k2.7';
  if (modelId === 'kimi-k2.5' || modelId === 'kimi-k2.6' || modelId === 'kimi-k3') return modelId;
  return modelId.startsWith('moonshot-v1-') ? 'moonshot-v1' : 'unknown';
}

/**
 * The body for a streamed call (./complete drops the streaming for a whole answer), with the provider's
 * per-family rules: Kimi models pin their sampling (no temperature); K3 takes an effort and no `thinking`;
 * K2.7 only `thinking` enabled; moonshot-v1 neither.
 * The turn's settings already follow lib/kimi/rules.ts, so for today's catalog these drop nothing.
 */
export function kimiChatRequest(
  modelId: string,
  system: string | undefined,
  messages: readonly ModelMessage[],
  settings: CallSettings,
): KimiChatRequest {
  const family = familyOf(modelId);
  const options = settings.providerOptions?.moonshotai;
  const asked = options?.thinking?.type;
  const thinking =
    family === 'kimi-k3' || family === 'moonshot-v1' ? undefined : family === 'kimi-k2.7' ? (asked === 'enabled' ? asked : undefined) : asked;
  const effort = family === 'kimi-k3' || family === 'unknown' ? options?.reasoningEffort : undefined;
  const sampled = !family.startsWith('kimi-') && settings.temperature !== undefined;
  return {
    model: modelId,
    max_completion_tokens: settings.maxOutputTokens,
    ...(sampled ? { temperature: settings.temperature } : {}),
    messages: kimiMessages(system, messages),
    ...(thinking ? { thinking: { type: thinking } } : {}),
    ...(effort ? { reasoning_effort: effort } : {}),
    stream: true,
    stream_options: { include_usage: true },
  };
}

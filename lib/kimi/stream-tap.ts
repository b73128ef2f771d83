// Reads what the ledger needs from a Kimi chat response the gateway passes on untouched: the usage (inside
// the finishing choice, and again in K3's trailing `{"choices":[],"usage"}` chunk — the trailing one wins,
// so it counts once), the `$web_search` calls, the finish reason, a mid-stream error event, and the text
// so far (for an estimate when the stream is cut before any usage). Bytes are fed as they pass; only
// complete `data:` lines are parsed, and a whole (non-streamed) response is parsed once at the end.
import { WEB_SEARCH_TOOL } from './web-search';

export interface TappedCall {
  /** Kimi's raw usage object, or undefined when none arrived. */
  usage: unknown;
  webSearches: number;
  finishReason: string | null;
  /** `{message, type}` of an error event in the stream. */
  error: { message: string; type?: string } | undefined;
  text: string;
  reasoning: string;
}

interface Choice {
  delta?: Delta;
  message?: Delta;
  finish_reason?: string | null;
  usage?: unknown;
}
interface Delta {
  content?: string | null;
  reasoning_content?: string | null;
  tool_calls?: Array<{ function?: { name?: string } }>;
}
interface Chunk {
  choices?: Choice[];
  usage?: unknown;
  error?: { message: string; type?: string };
}

export class KimiStreamTap implements TappedCall {
  usage: unknown;
  webSearches = 0;
  finishReason: string | null = null;
  error: TappedCall['error'];
  text = '';
  reasoning = '';
  #choiceUsage: unknown;
  #topUsage: unknown;
  #pending = '';
  #ended = false;
  readonly #decoder = new TextDecoder();

  constructor(readonly streamed: boolean) {}

  feed(bytes: Uint8Array): void {
    const text = this.#decoder.decode(bytes, { stream: true });
    if (!this.streamed) {
      this.#pending += text;
      return;
    }
    const lines = (this.#pending + text).split('\n');
    this.#pending = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  /** The response ended (or was cut): reads what is left. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const rest = this.#pending + this.#decoder.decode();
    this.#pending = '';
    if (this.streamed) this.#line(rest);
    else this.#chunk(parse(rest));
    this.usage = this.#topUsage ?? this.#choiceUsage;
  }

  #line(line: string): void {
    if (!line.startsWith('data:')) return;
    const payload = line.slice(5).trim();
    if (payload === '' || payload === '[DONE]') return;
    this.#chunk(parse(payload));
  }

  #chunk(chunk: Chunk | undefined): void {
    if (!chunk) return;
    if (chunk.error && typeof chunk.error.message === 'string') this.error = chunk.error;
    if (chunk.usage) this.#topUsage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const part = choice.delta ?? choice.message;
    if (part) {
      if (typeof part.content === 'string') this.text += part.content;
      if (typeof part.reasoning_content === 'string') this.reasoning += part.reasoning_content;
      // A streamed tool call names its function in its first delta only: each name is one call.
      for (const call of part.tool_calls ?? []) if (call.function?.name === WEB_SEARCH_TOOL) this.webSearches++;
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    if (choice.usage) this.#choiceUsage = choice.usage;
  }
}

function parse(text: string): Chunk | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Chunk) : undefined;
  } catch {
    return undefined;
  }
}

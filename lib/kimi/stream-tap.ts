// Reads what the ledger needs from a Kimi chat response the gateway passes on untouched: the usage (inside
// the finishing choice, and again in K3's trailing `{"choices":[],"usage"}` chunk — the trailing one wins,
// so it counts once), the `$web_search` calls, the finish reason, a mid-stream error event, and the text
// (for an estimate when the stream is cut before any usage). Bytes are fed as they pass; only complete
// `data:` lines are looked at, and a whole (non-streamed) response is parsed once at the end.
//
// On the hot path most lines are plain text deltas (`…"finish_reason":null}]}` with no usage, tool call or
// error): those are only kept, not parsed, and their text is read from them when it is asked for (an
// estimate: no usage came). Every other line is parsed as it passes.
import { WEB_SEARCH_TOOL } from './web-search';

export interface TappedCall {
  /** Kimi's raw usage object, or undefined when none arrived. */
  usage: unknown;
  webSearches: number;
  finishReason: string | null;
  /** `{message, type}` of an error event in the stream. */
  error: { message: string; type?: string } | undefined;
  /** Some answer (text, reasoning or a search) has passed: the first token. */
  answered: boolean;
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

/** A line that can carry nothing but text: no finish, usage, tool call or error. */
const isPlainDelta = (line: string) =>
  line.includes('"finish_reason":null') && !line.includes('"usage"') && !line.includes('"tool_calls"') && !line.includes('"error"');
/** A non-empty answer or reasoning string in a plain delta line. */
const ANSWER_TEXT = /"(?:reasoning_)?content":"[^"]/;

export class KimiStreamTap implements TappedCall {
  usage: unknown;
  webSearches = 0;
  finishReason: string | null = null;
  error: TappedCall['error'];
  answered = false;
  #choiceUsage: unknown;
  #topUsage: unknown;
  #pending = '';
  #ended = false;
  /** The `data:` payloads that can carry text, in order, until the text is read from them. */
  #textLines: string[] = [];
  #text = '';
  #reasoning = '';
  readonly #decoder = new TextDecoder();

  constructor(readonly streamed: boolean) {}

  feed(bytes: Uint8Array): void {
    const text = this.#decoder.decode(bytes, { stream: true });
    if (!this.streamed) {
      this.#pending += text;
      return;
    }
    const all = this.#pending === '' ? text : this.#pending + text;
    let start = 0;
    for (let end = all.indexOf('\n'); end !== -1; end = all.indexOf('\n', start)) {
      this.#line(all.slice(start, end));
      start = end + 1;
    }
    this.#pending = all.slice(start);
  }

  /** The response ended (or was cut): reads what is left. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const rest = this.#pending + this.#decoder.decode();
    this.#pending = '';
    if (this.streamed) this.#line(rest);
    else this.#chunk(parse(rest), rest);
    this.usage = this.#topUsage ?? this.#choiceUsage;
  }

  /** The answer text so far (read from the kept lines on first use after they arrived). */
  get text(): string {
    this.#readText();
    return this.#text;
  }

  get reasoning(): string {
    this.#readText();
    return this.#reasoning;
  }

  #readText(): void {
    const lines = this.#textLines;
    if (lines.length === 0) return;
    this.#textLines = [];
    for (const payload of lines) {
      const part = parse(payload)?.choices?.[0];
      const delta = part?.delta ?? part?.message;
      if (typeof delta?.content === 'string') this.#text += delta.content;
      if (typeof delta?.reasoning_content === 'string') this.#reasoning += delta.reasoning_content;
    }
  }

  #line(line: string): void {
    if (!line.startsWith('data:')) return;
    if (isPlainDelta(line)) {
      this.#textLines.push(line.slice(5));
      if (!this.answered && ANSWER_TEXT.test(line)) this.answered = true;
      return;
    }
    const payload = line.slice(5).trim();
    if (payload === '' || payload === '[DONE]') return;
    this.#chunk(parse(payload), payload);
  }

  #chunk(chunk: Chunk | undefined, payload: string): void {
    if (!chunk) return;
    if (chunk.error && typeof chunk.error.message === 'string') this.error = chunk.error;
    if (chunk.usage) this.#topUsage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const part = choice.delta ?? choice.message;
    if (part) {
      // Its text is read with the others' when asked for, in order (parsed again then: a rare line).
      if (part.content || part.reasoning_content) {
        this.#textLines.push(payload);
        this.answered = true;
      }
      // A streamed tool call names its function in its first delta only: each name is one call.
      for (const call of part.tool_calls ?? [])
        if (call.function?.name === WEB_SEARCH_TOOL) {
          this.webSearches++;
          this.answered = true;
        }
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

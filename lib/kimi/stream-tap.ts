// Reads what the ledger needs from a Kimi chat response the gateway passes on untouched: the usage (inside
// the finishing choice, and again in K3's trailing `{"choices":[],"usage"}` chunk — the trailing one wins,
// so it counts once), the `$web_search` calls, the finish reason, a mid-stream error event, and the text
// (for an estimate when the stream is cut before any usage). Bytes are fed as they pass; only complete
// `data:` lines are looked at, and a whole (non-streamed) response is parsed once at the end.
//
// On the hot path most lines are plain text deltas (no usage, tool call, error or finish): those are not
// looked at one by one. Each piece of the stream is searched (natively, as a whole) for the few keys that
// make a line worth parsing — `"usage"`, `"tool_calls"`, `"error"`, and a `"finish_reason"` that is not
// null — and only the lines holding one are parsed as they pass. The text is read from the kept pieces
// when it is asked for (an estimate: no usage came), and whether any answer has started is one search per
// piece until it has.
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

/** Keys only a line worth parsing has (a `"finish_reason"` counts when it is not null: see `#finishing`). */
const MARKERS = ['"usage"', '"tool_calls"', '"error"'];
const FINISH_REASON = '"finish_reason"';
/** A non-empty answer or reasoning string. */
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
  /** The complete lines that passed, in pieces and in order, until the text is read from them. */
  #kept: string[] = [];
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
    const last = all.lastIndexOf('\n');
    if (last === -1) {
      this.#pending = all;
      return;
    }
    // Lines end at `last`: the rest waits for its newline (a key cut by a piece's end is whole next time).
    this.#pending = all.slice(last + 1);
    const lines = all.slice(0, last);
    this.#kept.push(lines);
    if (!this.answered && ANSWER_TEXT.test(lines)) this.answered = true;
    for (const start of this.#linesToParse(lines)) {
      const end = lines.indexOf('\n', start);
      this.#line(lines.slice(start, end === -1 ? lines.length : end));
    }
  }

  /** Where the lines worth parsing start, in order. */
  #linesToParse(lines: string): number[] {
    const starts: number[] = [];
    const add = (at: number) => {
      const start = lines.lastIndexOf('\n', at) + 1;
      if (!starts.includes(start)) starts.push(start);
    };
    for (const marker of MARKERS) for (let at = lines.indexOf(marker); at !== -1; at = lines.indexOf(marker, at + marker.length)) add(at);
    for (let at = lines.indexOf(FINISH_REASON); at !== -1; at = lines.indexOf(FINISH_REASON, at + FINISH_REASON.length))
      if (finishing(lines, at + FINISH_REASON.length)) add(at);
    return starts.length > 1 ? starts.sort((a, b) => a - b) : starts;
  }

  /** Kimi's usage has passed (it comes with the answer's last choice): the answer is complete. */
  get usageSeen(): boolean {
    return this.#topUsage !== undefined || this.#choiceUsage !== undefined;
  }

  /** The response ended (or was cut): reads what is left. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const rest = this.#pending + this.#decoder.decode();
    this.#pending = '';
    this.#kept.push(rest);
    if (this.streamed) {
      if (!this.answered && ANSWER_TEXT.test(rest)) this.answered = true;
      this.#line(rest);
    } else this.#chunk(parse(rest));
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
    const pieces = this.#kept;
    if (pieces.length === 0) return;
    this.#kept = [];
    for (const piece of pieces) {
      if (!this.streamed) this.#addText(parse(piece));
      else for (const line of piece.split('\n')) if (line.startsWith('data:')) this.#addText(parse(line.slice(5)));
    }
  }

  #addText(chunk: Chunk | undefined): void {
    const part = chunk?.choices?.[0];
    const delta = part?.delta ?? part?.message;
    if (typeof delta?.content === 'string') this.#text += delta.content;
    if (typeof delta?.reasoning_content === 'string') this.#reasoning += delta.reasoning_content;
  }

  /** A line worth parsing (see `#linesToParse`). */
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
      if (part.content || part.reasoning_content) this.answered = true;
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

/** Whether the `"finish_reason"` key ending at `from` has a value other than null. */
function finishing(lines: string, from: number): boolean {
  let at = from;
  while (lines[at] === ' ' || lines[at] === ':') at++;
  return !lines.startsWith('null', at);
}

function parse(text: string): Chunk | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Chunk) : undefined;
  } catch {
    return undefined;
  }
}

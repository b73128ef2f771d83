// SSE encoding and delivery of a planned completion. Hot path: every event string is built from a
// pre-serialised per-request prefix plus JSON.stringify of the text piece only; with pacing 0 the
// events are written in large batches with no timers, waiting only for 'drain'.
import type { ServerResponse } from 'node:http';
import { countTokens } from '../lib/kimi/tokenizer';
import type { FaultPlan } from './faults';
import type { Reply } from './reply';
import { chunkText } from './text';

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export interface SseEvents {
  events: string[];
  /** Tokens carried by each event (0 for role, finish and usage events): drives pacing and delay faults. */
  tokens: number[];
}

export interface SseShape {
  /** Repeat usage in a trailing `{"choices":[],"usage"}` chunk after the finishing chunk (K3). */
  trailingUsage: boolean;
  /** End the reasoning deltas with an empty `reasoning_content` delta, as recorded from today's models. */
  emptyReasoningEnd: boolean;
  chunkTokens: number;
  /** Count each piece's tokens (only token pacing needs it; otherwise text events weigh 1). */
  weigh: boolean;
}

export function buildSse(meta: CompletionMeta, replies: readonly Reply[], usageJson: string, shape: SseShape): SseEvents {
  const { trailingUsage, chunkTokens, weigh } = shape;
  const head = `data: {"id":${JSON.stringify(meta.id)},"object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)},"choices":[`;
  const events: string[] = [];
  const tokens: number[] = [];
  const push = (event: string, n: number) => {
    events.push(event);
    tokens.push(n);
  };
  const weight = weigh ? countTokens : () => 1;
  replies.forEach((reply, index) => {
    const choice = `${head}{"index":${index},"delta":`;
    const open = `${choice}{"`;
    const close = `},"finish_reason":null}]}\n\n`;
    push(`${open}role":"assistant","content":""${close}`, 0);
    for (const piece of chunkText(reply.reasoning, chunkTokens)) push(`${open}reasoning_content":${JSON.stringify(piece)}${close}`, weight(piece));
    if (reply.reasoning && shape.emptyReasoningEnd) push(`${open}reasoning_content":""${close}`, 0);
    for (const piece of chunkText(reply.content, chunkTokens)) push(`${open}content":${JSON.stringify(piece)}${close}`, weight(piece));
    const call = reply.toolCall;
    if (call) {
      const start = { index: 0, id: call.id, type: call.type, function: { name: call.name, arguments: '' } };
      push(`${open}tool_calls":[${JSON.stringify(start)}]${close}`, weight(call.name));
      for (const piece of chunkText(call.arguments, chunkTokens)) {
        push(`${open}tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(piece)}}}]${close}`, weight(piece));
      }
    }
    // Kimi puts usage inside the last choice's finish chunk.
    const usage = index === replies.length - 1 ? `,"usage":${usageJson}` : '';
    push(`${choice}{},"finish_reason":"${reply.finishReason}"${usage}}]}\n\n`, 0);
  });
  if (trailingUsage) push(`${head}],"usage":${usageJson}}\n\n`, 0);
  push('data: [DONE]\n\n', 0);
  return { events, tokens };
}

export interface Pace {
  ttftMs: number;
  tokensPerSecond: number;
}

export type StreamOutcome = 'done' | 'aborted' | 'dropped' | 'error_event';

/** Handle the pump needs on the exchange: it marks closes it caused so they are not logged as client aborts. */
export interface Closable {
  simulatorClosed: boolean;
}

const BATCH_BYTES = 32 * 1024;

/** Per-event send times (ms after start) when pacing or delaying faults apply. */
function schedule(tokens: readonly number[], pace: Pace, faults: FaultPlan | undefined): Float64Array {
  const msPerToken = pace.tokensPerSecond > 0 ? 1000 / pace.tokensPerSecond : 0;
  const at = new Float64Array(tokens.length);
  let t = 0;
  let texts = 0;
  let stall = faults?.stallMs ?? 0;
  for (let i = 0; i < tokens.length; i++) {
    const n = tokens[i] as number;
    if (texts > 0 && stall > 0) {
      t += stall; // the pause right after the first text event
      stall = 0;
    }
    if (n > 0) {
      t += texts === 0 ? pace.ttftMs + (faults?.slowFirstMs ?? 0) : n * msPerToken;
      texts++;
    }
    at[i] = t;
  }
  return at;
}

export function pumpSse(res: ServerResponse, sse: SseEvents, pace: Pace, faults: FaultPlan | undefined, exchange: Closable): Promise<StreamOutcome> {
  const { events } = sse;
  const dropAfter = faults?.dropAfter;
  const errorAfter = faults?.errorEventAfter;
  const limit = Math.min(events.length, dropAfter ?? Infinity, errorAfter ?? Infinity);
  const paced = pace.ttftMs > 0 || pace.tokensPerSecond > 0 || Boolean(faults?.stallMs) || Boolean(faults?.slowFirstMs);
  const at = paced ? schedule(sse.tokens, pace, faults) : undefined;
  const start = performance.now();

  return new Promise((resolve) => {
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: StreamOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    res.on('close', () => settle('aborted'));

    const finish = (batch: string) => {
      if (i === events.length) {
        const linger = faults?.lingerMs ?? 0;
        if (linger === 0) return void res.end(batch, () => settle('done'));
        if (batch) res.write(batch);
        timer = setTimeout(() => res.end(() => settle('done')), linger);
      } else if (limit === errorAfter) {
        const error = '{"error":{"message":"The server had an error while streaming the response (simulated)","type":"server_error"}}';
        res.end(`${batch}data: ${error}\n\n`, () => settle('error_event'));
      } else {
        exchange.simulatorClosed = true;
        const drop = () => {
          res.socket?.destroy();
          settle('dropped');
        };
        if (batch) res.write(batch, drop);
        else drop();
      }
    };

    const step = () => {
      timer = undefined;
      if (settled) return;
      let batch = '';
      while (i < limit) {
        if (at) {
          const wait = (at[i] as number) - (performance.now() - start);
          if (wait > 1) {
            if (batch) res.write(batch);
            timer = setTimeout(step, wait);
            return;
          }
        }
        batch += events[i++];
        if (batch.length >= BATCH_BYTES && i < limit) {
          if (!res.write(batch)) {
            res.once('drain', step);
            return;
          }
          batch = '';
        }
      }
      finish(batch);
    };

    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    step();
  });
}

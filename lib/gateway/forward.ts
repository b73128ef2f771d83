// One /api/v1 chat call passed to Kimi (or the simulator, keyless) with the account's key: the client's
// body goes up unchanged, Kimi's bytes come back as they arrive (no buffering: each chunk read from Kimi
// is handed on before the next is read), and a tap on the way reads the usage. When the client goes away
// the upstream request is aborted. Exactly one ledger row is written per upstream call, when it ends:
// Kimi's usage when it reported one, otherwise (a cut stream) the tokenizer's estimate of the prompt and
// of the text that passed, flagged `estimated`; a call Kimi refused costs zero.
//
// `ForwardedCall` is that call; the two ways it is served drive it alike: the Next.js route as a web
// Response (`forwardChatCompletion`, below) and the start script's node:http fast path (./node-server).
// Kimi is called on node:http with a keep-alive agent (lib/kimi/upstream), its bytes read as Buffers.
import 'server-only';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { APICallError } from 'ai';
import { config } from '@/lib/config';
import { kimiConnection } from '@/lib/kimi/connection';
import { chatErrorFromResponse, MAX_RETRY_DELAY_MS, scrub, toAppError } from '@/lib/kimi/errors';
import { KimiStreamTap } from '@/lib/kimi/stream-tap';
import { requestUpstream } from '@/lib/kimi/upstream';
import { languageModelUsageOf } from '@/lib/kimi/usage';
import { recordUsage, type UpstreamCall, type UsageRowInput, usageRow } from '@/lib/usage/ledger';
import type { ApiCaller } from './authenticate';
import { kimiError } from './errors';
import { type ChatCompletionRequest, countableMessages } from './request';

const PASSED_HEADERS = ['content-type', 'msh-request-id', 'retry-after'];

type Outcome = UsageRowInput['outcome'];

/** Kimi's answer as it starts to arrive: what to send the client before its bytes, and the bytes. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: IncomingMessage;
}

function passedHeaders(upstream: IncomingHttpHeaders, streamed: boolean): Record<string, string> {
  const headers: Record<string, string> = { 'cache-control': streamed ? 'no-cache, no-transform' : 'no-store' };
  for (const name of PASSED_HEADERS) {
    const value = upstream[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // An event stream must reach the client as it is written: no proxy buffering, no compression holding it back.
  if (streamed) headers['x-accel-buffering'] = 'no';
  return headers;
}

/** Kimi's refusal with anything key-like removed from its message (Kimi names the account's key in some). */
function scrubbedRefusal(status: number, text: string, passed: Record<string, string>): Response {
  const headers = new Headers(passed);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { message?: unknown; type?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? scrub(error.message) : `HTTP ${status}`;
  const type = typeof error?.type === 'string' ? error.type : status >= 500 ? 'server_error' : 'invalid_request_error';
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ error: { message, type } }), { status, headers });
}

const LOST_EVENT = new TextEncoder().encode(
  `data: ${JSON.stringify({ error: { message: 'The connection to Kimi was lost mid-answer', type: 'server_error' } })}\n\n`,
);

export class ForwardedCall {
  /** Aborts the upstream request (the client went away). */
  readonly abort = new AbortController();
  readonly #caller: ApiCaller;
  readonly #body: ChatCompletionRequest;
  readonly #tap: KimiStreamTap;
  readonly #call: UpstreamCall;
  #recorded = false;
  /** open() handed Kimi's answer on: from here on a client that goes away ends the call. */
  #answering = false;

  constructor(caller: ApiCaller, body: ChatCompletionRequest, startedAt: number) {
    this.#caller = caller;
    this.#body = body;
    this.#tap = new KimiStreamTap(body.stream === true);
    this.#call = { startedAt, ttftMs: null, requestId: null, usage: undefined, error: undefined };
  }

  /** Sends the request up: Kimi's answer to pass on, or the refusal to send instead (its row written). */
  async open(text: string): Promise<UpstreamAnswer | Response> {
    let upstream: Awaited<ReturnType<typeof requestUpstream>>;
    let url = '';
    try {
      const { baseURL, apiKey } = kimiConnection();
      url = `${baseURL}/chat/completions`;
      upstream = await requestUpstream(
        { url, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: text, signal: this.abort.signal },
        { maxRetries: config().kimi.maxRetries, maxWaitMs: MAX_RETRY_DELAY_MS },
      );
    } catch (error) {
      const gone = this.abort.signal.aborted;
      this.#call.error = error;
      await this.#record(gone ? 'stopped' : 'error', gone ? null : toAppError(error).code);
      return kimiError(502, 'server_error', 'Kimi could not be reached, please try again later');
    }
    const requestId = upstream.headers['msh-request-id'];
    this.#call.requestId = typeof requestId === 'string' ? requestId : null;

    if (!upstream.ok) {
      const refusal = upstream.text;
      // A refusal: nothing was generated or billed (usageRow counts an APICallError before any token as zero).
      this.#call.error = new APICallError({
        message: upstream.statusText,
        url,
        requestBodyValues: {},
        statusCode: upstream.status,
        responseBody: refusal,
      });
      await this.#record('error', chatErrorFromResponse(upstream.status, refusal).code);
      return scrubbedRefusal(upstream.status, refusal, passedHeaders(upstream.headers, false));
    }
    this.#answering = true;
    return { status: upstream.status, headers: passedHeaders(upstream.headers, this.#tap.streamed), body: upstream.body };
  }

  /** A chunk of Kimi's answer, on its way to the client. */
  passed(chunk: Uint8Array): void {
    const tap = this.#tap;
    tap.feed(chunk);
    if (this.#call.ttftMs === null && tap.streamed && tap.answered) this.#call.ttftMs = Math.round(performance.now() - this.#call.startedAt);
  }

  /** Kimi's answer ended: recorded before the client sees the end, so a call that ended is in the ledger. */
  ended(): Promise<void> {
    const tap = this.#tap;
    tap.end();
    return this.#record(outcomeOf(tap), tap.error ? toAppError(tap.error).code : null);
  }

  /**
   * Reading Kimi's answer failed. Recorded, unless the client went away (`stopped` records that); a stream
   * ends with an error event (returned), a whole response has nothing to end with (null).
   */
  lost(error: unknown): Uint8Array | null {
    if (this.abort.signal.aborted) return null;
    this.#call.error = error;
    void this.#record('error', toAppError(error, { streamed: true }).code);
    return this.#tap.streamed ? LOST_EVENT : null;
  }

  /**
   * The client went away before the end: the upstream request is aborted, and the call recorded as stopped
   * (by open() itself when Kimi had not answered yet).
   */
  stopped(reason?: unknown): void {
    if (this.#recorded) return;
    // The client hung up after the answer's last event, before Kimi's end reached us: nothing was cut, and
    // the call is recorded as it ended, with Kimi's usage (the rest of the response ends by itself).
    if (this.#answering && this.#tap.streamed && this.#tap.usageSeen) {
      void this.ended();
      return;
    }
    this.abort.abort(reason);
    if (this.#answering) void this.#record('stopped');
  }

  async #record(outcome: Outcome, errorType: string | null = null): Promise<void> {
    if (this.#recorded) return;
    this.#recorded = true;
    this.#tap.end();
    this.#call.usage = languageModelUsageOf(this.#tap.usage);
    await writeRow(this.#caller, this.#body, this.#tap, this.#call, outcome, errorType);
  }
}

/** The Next.js route's way: the call as a web Response whose body pulls Kimi's chunks one by one. */
export async function forwardChatCompletion(
  req: Request,
  caller: ApiCaller,
  body: ChatCompletionRequest,
  text: string,
  startedAt: number,
): Promise<Response> {
  const call = new ForwardedCall(caller, body, startedAt);
  const onClientGone = () => call.stopped(req.signal.reason);
  req.signal.addEventListener('abort', onClientGone, { once: true });
  const upstream = await call.open(text);
  if (upstream instanceof Response) {
    req.signal.removeEventListener('abort', onClientGone);
    return upstream;
  }
  const pieces = upstream.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const out = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: IteratorResult<Buffer>;
        try {
          next = await pieces.next();
        } catch (error) {
          if (call.abort.signal.aborted) return; // the client went away: cancel() records it
          const event = call.lost(error);
          if (!event) return controller.error(error);
          controller.enqueue(event);
          controller.close();
          return;
        }
        if (next.done) {
          req.signal.removeEventListener('abort', onClientGone);
          await call.ended();
          controller.close();
          return;
        }
        call.passed(next.value);
        controller.enqueue(next.value);
      },
      cancel(reason) {
        call.stopped(reason);
        upstream.body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(out, { status: upstream.status, headers: upstream.headers });
}

function outcomeOf(tap: KimiStreamTap): Outcome {
  if (tap.error) return 'error';
  if (tap.finishReason === 'length') return 'length';
  if (tap.finishReason === 'content_filter') return 'content_filter';
  return 'ok';
}

async function writeRow(
  caller: ApiCaller,
  body: ChatCompletionRequest,
  tap: KimiStreamTap,
  call: UpstreamCall,
  outcome: Outcome,
  errorType: string | null,
): Promise<void> {
  // The text is read (from the tap's kept lines) only for an estimate: with Kimi's usage it is not needed.
  const estimate = call.usage === undefined;
  try {
    const row = await usageRow({
      userId: caller.user.id,
      conversationId: null,
      messageId: null,
      purpose: 'api',
      requestedModel: body.model,
      servedModel: body.model,
      prompt: countableMessages(body),
      text: estimate ? tap.text : '',
      reasoning: estimate ? tap.reasoning : '',
      call,
      outcome,
      errorType,
      webSearches: tap.webSearches,
      apiKeyId: caller.key.id,
    });
    await recordUsage(row);
  } catch (error) {
    console.error('[gateway] could not write a usage row:', error instanceof Error ? error.message : error);
  }
}

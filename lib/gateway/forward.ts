// One /api/v1 chat call passed to Kimi (or the simulator, keyless) with the account's key: the client's
// body goes up unchanged, Kimi's bytes come back as they arrive (no buffering: each chunk read from Kimi
// is handed on before the next is read), and a tap on the way reads the usage. When the client goes away
// the upstream request is aborted. Exactly one ledger row is written per upstream call, when it ends:
// Kimi's usage when it reported one, otherwise (a cut stream) the tokenizer's estimate of the prompt and
// of the text that passed, flagged `estimated`; a call Kimi refused costs zero.
import 'server-only';
import { APICallError } from 'ai';
import { config } from '@/lib/config';
import { kimiConnection } from '@/lib/kimi/connection';
import { chatErrorFromResponse, MAX_RETRY_DELAY_MS, scrub, toAppError } from '@/lib/kimi/errors';
import { retryingFetch } from '@/lib/kimi/retrying-fetch';
import { KimiStreamTap } from '@/lib/kimi/stream-tap';
import { languageModelUsageOf } from '@/lib/kimi/usage';
import { recordUsage, type UpstreamCall, type UsageRowInput, usageRow } from '@/lib/usage/ledger';
import type { ApiCaller } from './authenticate';
import { kimiError } from './errors';
import { type ChatCompletionRequest, countableMessages } from './request';

const PASSED_HEADERS = ['content-type', 'msh-request-id', 'retry-after'];

type Outcome = UsageRowInput['outcome'];

function upstreamFetch(): typeof fetch {
  return retryingFetch({ maxRetries: config().kimi.maxRetries, maxWaitMs: MAX_RETRY_DELAY_MS });
}

function passedHeaders(upstream: Response, streamed: boolean): Headers {
  const headers = new Headers({ 'cache-control': streamed ? 'no-cache, no-transform' : 'no-store' });
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  // An event stream must reach the client as it is written: no proxy buffering, no compression holding it back.
  if (streamed) headers.set('x-accel-buffering', 'no');
  return headers;
}

/** Kimi's refusal with anything key-like removed from its message (Kimi names the account's key in some). */
function scrubbedRefusal(status: number, text: string, headers: Headers): Response {
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

export async function forwardChatCompletion(
  req: Request,
  caller: ApiCaller,
  body: ChatCompletionRequest,
  text: string,
  startedAt: number,
): Promise<Response> {
  const streamed = body.stream === true;
  const abort = new AbortController();
  const onClientGone = () => abort.abort(req.signal.reason);
  req.signal.addEventListener('abort', onClientGone, { once: true });
  const call: UpstreamCall = { startedAt, ttftMs: null, requestId: null, usage: undefined, error: undefined };
  const tap = new KimiStreamTap(streamed);
  let recorded = false;
  const record = async (outcome: Outcome, errorType: string | null = null): Promise<void> => {
    if (recorded) return;
    recorded = true;
    req.signal.removeEventListener('abort', onClientGone);
    tap.end();
    call.usage = languageModelUsageOf(tap.usage);
    await writeRow(caller, body, tap, call, outcome, errorType);
  };

  let upstream: Response;
  try {
    const { baseURL, apiKey } = kimiConnection();
    upstream = await upstreamFetch()(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: text,
      signal: abort.signal,
    });
  } catch (error) {
    const gone = abort.signal.aborted;
    call.error = error;
    await record(gone ? 'stopped' : 'error', gone ? null : toAppError(error).code);
    return kimiError(502, 'server_error', 'Kimi could not be reached, please try again later');
  }
  call.requestId = upstream.headers.get('msh-request-id');

  if (!upstream.ok || !upstream.body) {
    const refusal = await upstream.text().catch(() => '');
    // A refusal: nothing was generated or billed (usageRow counts an APICallError before any token as zero).
    call.error = new APICallError({
      message: upstream.statusText,
      url: upstream.url,
      requestBodyValues: {},
      statusCode: upstream.status,
      responseBody: refusal,
    });
    await record('error', chatErrorFromResponse(upstream.status, refusal).code);
    return scrubbedRefusal(upstream.status, refusal, passedHeaders(upstream, false));
  }

  const reader = upstream.body.getReader();
  const out = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          if (abort.signal.aborted) return; // the client went away: cancel() records it
          call.error = error;
          void record('error', toAppError(error, { streamed: true }).code);
          if (streamed) {
            controller.enqueue(
              new TextEncoder().encode(
                `data: ${JSON.stringify({ error: { message: 'The connection to Kimi was lost mid-answer', type: 'server_error' } })}\n\n`,
              ),
            );
            controller.close();
          } else controller.error(error);
          return;
        }
        if (next.done) {
          tap.end();
          // Written before the client sees the end: a call that ended is in the ledger.
          await record(outcomeOf(tap), tap.error ? toAppError(tap.error).code : null);
          controller.close();
          return;
        }
        tap.feed(next.value);
        if (call.ttftMs === null && streamed && (tap.text !== '' || tap.reasoning !== '' || tap.webSearches > 0)) {
          call.ttftMs = Math.round(performance.now() - startedAt);
        }
        controller.enqueue(next.value);
      },
      cancel(reason) {
        abort.abort(reason);
        void reader.cancel(reason).catch(() => undefined);
        void record('stopped');
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(out, { status: upstream.status, headers: passedHeaders(upstream, streamed) });
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
  try {
    const row = await usageRow({
      userId: caller.user.id,
      conversationId: null,
      messageId: null,
      purpose: 'api',
      requestedModel: body.model,
      servedModel: body.model,
      prompt: countableMessages(body),
      text: tap.text,
      reasoning: tap.reasoning,
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

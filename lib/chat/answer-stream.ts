// The answer's event stream: the AI SDK UI message stream, encoded as the SDK encodes it, in one stage.
import { UI_MESSAGE_STREAM_HEADERS } from 'ai';

/**
 * The UI message stream's headers plus `no-transform`: without it `next start` gzips the event stream,
 * and zlib holds small chunks back, so the first words of an answer arrived only with the last.
 */
export const ANSWER_STREAM_HEADERS: Record<string, string> = { ...UI_MESSAGE_STREAM_HEADERS, 'cache-control': 'no-cache, no-transform' };

/** How an answer's chunks are produced: `emit` each one in order; resolve when there are no more. */
export type Producer<Chunk> = (emit: (chunk: Chunk) => void) => Promise<void>;

/**
 * The response for an answer: each chunk as `data: <json>\n\n`, then `data: [DONE]\n\n` — byte for byte
 * what the AI SDK's createUIMessageStreamResponse sends — without its stages (a JSON-to-SSE transform, a
 * text encoder and a tee per chunk). Chunks emitted within one turn of the event loop (several deltas
 * from one upstream read) go out as one write. `copy` gets the same text (the resume copy); the producer
 * runs to its end whatever the browser does, so a closed tab still gets its answer saved; `done` is
 * called after the last byte.
 */
export function answerResponse<Chunk>(produce: Producer<Chunk>, copy: (sse: string) => void, done: () => void): Response {
  const encoder = new TextEncoder();
  let browser: ReadableStreamDefaultController<Uint8Array> | undefined;
  let pending = '';
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const sse = pending;
    pending = '';
    copy(sse);
    try {
      browser?.enqueue(encoder.encode(sse));
    } catch {
      browser = undefined; // closed or cancelled under us: the answer goes on without the browser
    }
  };
  const emit = (chunk: Chunk) => {
    pending += `data: ${JSON.stringify(chunk)}\n\n`;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const body = new ReadableStream<Uint8Array>({
    start: (controller) => {
      browser = controller;
    },
    // The browser went away: stop sending to it, keep producing (and copying) to the end.
    cancel: () => {
      browser = undefined;
    },
  });

  void produce(emit)
    .catch((error: unknown) => console.error('[chat] the answer stream failed', error))
    .finally(() => {
      pending += 'data: [DONE]\n\n';
      flush();
      try {
        browser?.close();
      } catch {
        // Already cancelled.
      }
      browser = undefined;
      done();
    });
  return new Response(body, { headers: ANSWER_STREAM_HEADERS });
}

// The gateway's hot path on node:http, without Next.js: the start script (scripts/start.ts) hands
// `POST /api/v1/chat/completions` here before Next's router (no routing, proxy or web-stream conversions
// per chunk), and Kimi's bytes are written straight to the client's socket. The rules are the route's own
// (./handlers admitChatCall, ./forward ForwardedCall): only how bytes go in and out differs. The headers
// next.config.ts adds to every API response are added here too.
//
// Next.js bundles this module (instrumentation.ts hands it over when the server starts, ./hot-path), so
// it runs on Next's own copy of the gateway's modules; their caches are process-wide (lib/singleton).
import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_RESPONSE_HEADERS } from '@/lib/security/headers';
import { ForwardedCall } from './forward';
import { admitChatCall, type BodySource } from './handlers';
import type { NodeGateway } from './hot-path';

const PATH = '/api/v1/chat/completions';

function nodeBody(req: IncomingMessage): BodySource {
  const pieces = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    read: () => pieces.next(),
    declaredLength: req.headers['content-length'],
    // The refusal is sent with `connection: close`: the rest of the body is never read.
    cancel: () => req.pause(),
  };
}

function head(res: ServerResponse, status: number, headers: Headers | Record<string, string>): void {
  const out: Record<string, string> = { ...API_RESPONSE_HEADERS };
  if (headers instanceof Headers) for (const [name, value] of headers) out[name] = value;
  else Object.assign(out, headers);
  res.writeHead(status, out);
}

/** A refusal (small, already complete) as the route would have sent it. */
async function send(res: ServerResponse, response: Response, close: boolean): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  head(res, response.status, response.headers);
  if (close) res.setHeader('connection', 'close');
  res.end(body);
}

/**
 * Passes Kimi's answer on as it arrives: each Buffer read from Kimi's socket (often many SSE events) is
 * tapped and written to the client's socket in one write; when the client's socket is full, Kimi's is
 * paused until it drains. Resolves once the call is over (ended and recorded, lost, or the client gone).
 */
function relay(call: ForwardedCall, body: IncomingMessage, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    let over = false;
    const lost = (error: unknown) => {
      if (over) return;
      over = true;
      const event = call.lost(error);
      if (!res.destroyed) {
        if (event) res.end(event);
        else res.destroy();
      }
      resolve();
    };
    body.on('data', (chunk: Buffer) => {
      if (res.destroyed) return; // the client went away: 'close' recorded it and aborted Kimi's answer
      call.passed(chunk);
      if (!res.write(chunk)) body.pause();
    });
    res.on('drain', () => body.resume());
    body.once('error', lost);
    // Closed with neither an end nor an error: cut like a reset connection.
    body.once('close', () => lost(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    body.once('end', () => {
      over = true;
      void call.ended().then(() => {
        if (!res.destroyed) res.end();
        resolve();
      });
    });
  });
}

async function chatCompletions(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedAt = performance.now();
  const body = nodeBody(req);
  let tooBig = false;
  const admitted = await admitChatCall(req.headers.authorization, {
    ...body,
    cancel: () => {
      tooBig = true;
      body.cancel();
    },
  });
  if (admitted instanceof Response) return send(res, admitted, tooBig);

  const call = new ForwardedCall(admitted.caller, admitted.body, startedAt);
  res.once('close', () => {
    if (!res.writableFinished) call.stopped(new Error('the client went away'));
  });
  const upstream = await call.open(admitted.text);
  if (upstream instanceof Response) return send(res, upstream, false);
  // The headers leave with the first chunk (one write, not two).
  head(res, upstream.status, upstream.headers);
  await relay(call, upstream.body, res);
}

/** `POST /api/v1/chat/completions` (any query); everything else is Next's. */
export const serveNodeGateway: NodeGateway = (req, res) => {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  if (url !== PATH && !url.startsWith(`${PATH}?`)) return false;
  chatCompletions(req, res).catch((error: unknown) => {
    console.error('[gateway] the call failed:', error instanceof Error ? error.message : error);
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, { ...API_RESPONSE_HEADERS, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'Internal server error', type: 'server_error' } }));
  });
  return true;
};

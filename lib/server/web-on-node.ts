// A web route handler (Request → Response) served straight on node:http, without Next.js's router and
// its response pipeline: the request's headers and body are handed over as they are, the response's
// bytes are written to the socket as its body yields them, and a client that goes away cancels the body
// (and aborts the request's signal). API responses get the headers next.config.ts adds to every /api route.
import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { API_RESPONSE_HEADERS } from '@/lib/security/headers';

function webRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method,
    headers,
    signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** Resolves once the socket takes more, or the client is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function serveWebHandler(req: IncomingMessage, res: ServerResponse, handler: (req: Request) => Promise<Response>): Promise<void> {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort(new Error('the client went away'));
  });
  const response = await handler(webRequest(req, gone.signal));
  const head: Record<string, string | string[]> = { ...API_RESPONSE_HEADERS };
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') head[name] = response.headers.getSetCookie();
    else head[name] = value;
  }
  res.writeHead(response.status, response.statusText, head);
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel(gone.signal.reason).catch(() => undefined);
  gone.signal.addEventListener('abort', cancel, { once: true });
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (!res.write(next.value)) await drained(res);
      if (res.destroyed) return;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    gone.signal.removeEventListener('abort', cancel);
  }
}

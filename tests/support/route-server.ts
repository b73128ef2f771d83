// Route handlers behind a real node:http server, the way Next serves them: the request's body and headers
// become a Request whose signal aborts when the client goes away, and the Response body is written as
// it is produced (cancelled when the client goes away). For tests that need real HTTP clients (the
// official `openai` client) against the app's own routes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RouteHandler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;
export interface RouteTable {
  [path: string]: Partial<Record<string, RouteHandler>>;
}

export interface RouteServer {
  origin: string;
  close(): Promise<void>;
}

async function serve(table: RouteTable, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const url = new URL(req.url ?? '/', origin);
  const handler = table[url.pathname]?.[req.method ?? 'GET'];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort(new Error('client went away'));
  });
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const response = await handler(
    new Request(url, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined, signal: gone.signal }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  gone.signal.addEventListener('abort', () => void reader.cancel(gone.signal.reason).catch(() => undefined), { once: true });
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) res.write(next.value);
    res.end();
  } catch {
    res.destroy();
  }
}

/**
 * `first` sees each request before the table, as the start script's node:http handlers do (true: it served
 * the request).
 */
export async function startRouteServer(table: RouteTable, first?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<RouteServer> {
  let origin = '';
  const server = createServer((req, res) => {
    if (first?.(req, res)) return;
    serve(table, req, res, origin).catch((error: unknown) => {
      console.error('[route-server]', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

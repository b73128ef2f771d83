// `POST /api/chat` on node:http before Next's router (scripts/start.ts offers each request to the hot
// paths first; instrumentation.ts hands them over): the handler is the route's own (./chat-post), only
// the routing and the response pipeline around it are skipped — a turn's chunks go from the answer's
// stream to the socket in one step.
import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveWebHandler } from '@/lib/server/web-on-node';
import { postChat } from './chat-post';

const PATH = '/api/chat';

export function serveNodeChat(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  if (url !== PATH && !url.startsWith(`${PATH}?`)) return false;
  serveWebHandler(req, res, postChat).catch((error: unknown) => {
    console.error('[chat] the request failed:', error instanceof Error ? error.message : error);
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'internal', retryable: true } }));
  });
  return true;
}

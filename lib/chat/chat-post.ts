// `POST /api/chat`: one chat turn, checked at the edge. Served by the Next.js route (app/api/chat/route.ts)
// and, under `npm start`, on node:http before Next's router (./node-route): the same handler either way.
import 'server-only';
import { apiUserWith } from '@/lib/auth/session';
import { errorJson, parseBody, readJsonValue } from '@/lib/http';
import { checkChatRateLimit, tooManyRequests } from '@/lib/ratelimit';
import { messageTooLong } from '@/lib/security/limits';
import { checkQuota } from '@/lib/usage/quota';
import { runChatTurn } from './chat-turn';
import { beginTurnStart } from './turn-starts';
import { type ChatRequest, chatRequestSchema } from './types';

export async function postChat(req: Request): Promise<Response> {
  const startedAt = performance.now();
  // Counted from its arrival: the session and quota reads are part of a turn's start too. runChatTurn
  // ends it (at the first words, or however the turn ends); a refusal or a throw before that ends it here.
  const start = beginTurnStart();
  try {
    const accepted = await acceptTurn(req);
    if (accepted instanceof Response) {
      start.end();
      return accepted;
    }
    return await runChatTurn(accepted.user, accepted.body, startedAt, start);
  } catch (error) {
    start.end();
    throw error;
  }
}

async function acceptTurn(req: Request): Promise<Response | { user: { id: string }; body: ChatRequest }> {
  // The quota (a cached query) is read while the session is checked, then awaited with the rate limit (a
  // Redis count) and the body; answered in this order. Before any upstream call: over the monthly allowance,
  // nothing is sent to Kimi.
  const auth = await apiUserWith(req, checkQuota);
  if (auth instanceof Response) return auth;
  const { user } = auth;
  const [limited, overQuota, raw] = await Promise.all([checkChatRateLimit(user.id), auth.value, readJsonValue(req)]);
  if (limited) return tooManyRequests(limited);
  if (overQuota) return errorJson(429, overQuota);
  if (raw instanceof Response) return raw;
  // Before zod, whose max() would only say bad_request.
  const tooLong = messageTooLong(raw.value);
  if (tooLong) return errorJson(400, tooLong);
  const body = parseBody(raw.value, chatRequestSchema);
  if (body instanceof Response) return body;
  return { user, body };
}

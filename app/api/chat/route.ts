import { apiUser } from '@/lib/auth/session';
import { runChatTurn } from '@/lib/chat/chat-turn';
import { chatRequestSchema } from '@/lib/chat/types';
import { errorJson, parseBody, readJsonValue } from '@/lib/http';
import { checkChatRateLimit, tooManyRequests } from '@/lib/ratelimit';
import { messageTooLong } from '@/lib/security/limits';
import { checkQuota } from '@/lib/usage/quota';

export const dynamic = 'force-dynamic';
// Long answers from thinking models can take minutes.
export const maxDuration = 900;

export async function POST(req: Request): Promise<Response> {
  const startedAt = performance.now();
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  // At once (a Redis count, a cached quota query, the body), answered in this order. Before any upstream
  // call: over the monthly allowance, nothing is sent to Kimi.
  const [limited, overQuota, raw] = await Promise.all([checkChatRateLimit(user.id), checkQuota(user.id), readJsonValue(req)]);
  if (limited) return tooManyRequests(limited);
  if (overQuota) return errorJson(429, overQuota);
  if (raw instanceof Response) return raw;
  // Before zod, whose max() would only say bad_request.
  const tooLong = messageTooLong(raw.value);
  if (tooLong) return errorJson(400, tooLong);
  const body = parseBody(raw.value, chatRequestSchema);
  if (body instanceof Response) return body;
  return runChatTurn(user, body, startedAt);
}

import { apiUser } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { createApiKey, createKeySchema, listApiKeys, MAX_OPEN_KEYS } from '@/lib/gateway/keys';
import { readJson, toResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** GET /api/keys — the signed-in user's personal API keys (never their secrets). */
export async function GET(req: Request): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  return Response.json({ keys: await listApiKeys(await db(), user.id) }, { headers: { 'cache-control': 'no-store' } });
}

/** POST /api/keys — { name, expiresInDays? }: a new key; its secret is in this answer only. */
export async function POST(req: Request): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const input = await readJson(req, createKeySchema);
  if (input instanceof Response) return input;
  const made = await createApiKey(await db(), user.id, input);
  if (!made.ok) return toResponse({ code: 'bad_request', detail: made.reason, params: { max: MAX_OPEN_KEYS }, retryable: false }, 409);
  return Response.json({ key: made.key, secret: made.secret }, { status: 201, headers: { 'cache-control': 'no-store' } });
}

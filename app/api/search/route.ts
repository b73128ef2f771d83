import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { searchMessages } from '@/lib/chat/search';
import { MAX_QUERY_CHARS } from '@/lib/chat/search-query';
import { badRequest } from '@/lib/http';

export const dynamic = 'force-dynamic';

const query = z.object({ q: z.string().max(MAX_QUERY_CHARS) });

/** GET /api/search?q=: the signed-in user's messages containing every term (SearchResults). */
export async function GET(req: Request): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return badRequest(parsed.error.issues[0]?.message ?? 'invalid query');
  return Response.json(await searchMessages(user.id, parsed.data.q), { headers: { 'cache-control': 'no-store' } });
}

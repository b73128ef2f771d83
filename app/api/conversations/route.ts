import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { listConversations } from '@/lib/chat/conversations';
import { badRequest } from '@/lib/http';

export const dynamic = 'force-dynamic';

const query = z.object({
  cursor: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  view: z.enum(['active', 'archived']).optional(),
});

export async function GET(req: Request): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return badRequest(parsed.error.issues[0]?.message ?? 'invalid query');
  return Response.json(await listConversations(user.id, parsed.data), { headers: { 'cache-control': 'no-store' } });
}

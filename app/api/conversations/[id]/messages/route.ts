// GET /api/conversations/:id/messages?before=<messageId>[&to=<messageId>][&limit=] — older messages of the
// current path for the thread, which opens on the newest page only: the page right before `before` (the
// oldest message the thread has), or back to `to` and a page before it (a `#message-` link). Owner only.
import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { getOlderMessages } from '@/lib/chat/conversations';
import { MAX_THREAD_PAGE, THREAD_PAGE } from '@/lib/chat/types';
import { badRequest, notFound } from '@/lib/http';

export const dynamic = 'force-dynamic';

const messageId = z.string().min(1).max(100);
const query = z.object({
  before: messageId,
  to: messageId.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_THREAD_PAGE).default(THREAD_PAGE),
});

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const page = await getOlderMessages(user.id, (await params).id, parsed.data);
  return page ? Response.json(page, { headers: { 'cache-control': 'no-store' } }) : notFound();
}

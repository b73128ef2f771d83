// GET /api/conversations/:id/documents — the conversation's documents (none yet for a new chat's id).
import { apiUser } from '@/lib/auth/session';
import { isUuid } from '@/lib/chat/conversations';
import { listDocuments } from '@/lib/documents/service';
import { notFound } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  const documents = isUuid(id) ? await listDocuments(user.id, id) : null;
  return documents ? Response.json({ documents }, { headers: { 'cache-control': 'no-store' } }) : notFound();
}

// DELETE /api/documents/:id — detaches the document from its conversation (404 unless it is yours).
import { apiUser } from '@/lib/auth/session';
import { isUuid } from '@/lib/chat/conversations';
import { removeDocument } from '@/lib/documents/service';
import { notFound } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function DELETE(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  if (!isUuid(id) || !(await removeDocument(user.id, id))) return notFound();
  return new Response(null, { status: 204 });
}

import { apiUser } from '@/lib/auth/session';
import { notFound } from '@/lib/http';
import { revokeShare } from '@/lib/share/shares';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** DELETE /api/shares/:id: revokes one of the user's links (the link then answers 404). */
export async function DELETE(req: Request, { params }: Context): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  return (await revokeShare(user.id, (await params).id)) ? new Response(null, { status: 204 }) : notFound();
}

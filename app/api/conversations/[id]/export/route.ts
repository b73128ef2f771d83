import { apiUser } from '@/lib/auth/session';
import { exportConversation } from '@/lib/chat/transfer';
import { notFound } from '@/lib/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** GET /api/conversations/:id/export: the conversation as a download (JSON, format version 1). */
export async function GET(req: Request, { params }: Context): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  const file = await exportConversation(user.id, id);
  if (!file) return notFound();
  return new Response(JSON.stringify(file, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="conversation-${id}.json"`,
      'cache-control': 'no-store',
    },
  });
}

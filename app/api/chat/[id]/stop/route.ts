import { apiUser } from '@/lib/auth/session';
import { activeStreams } from '@/lib/chat/active-streams';

export const dynamic = 'force-dynamic';

/** Stop: aborts the upstream call; the partial answer is saved as stopped, with its usage. */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  const live = activeStreams.get(id);
  if (live && live.userId === user.id) live.abort('stop');
  return new Response(null, { status: 204 });
}

import { apiUser } from '@/lib/auth/session';
import { activeStreams } from '@/lib/chat/live';

export const dynamic = 'force-dynamic';

/**
 * Stop: aborts the upstream call — here, or with REDIS_URL on the instance generating the answer; the
 * partial answer is saved as stopped, with its usage. Only the user's own answer.
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  await activeStreams.abort(id, user.id, 'stop');
  return new Response(null, { status: 204 });
}

import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import { apiUser } from '@/lib/auth/session';
import { activeStreams } from '@/lib/chat/active-streams';

export const dynamic = 'force-dynamic';

/** Resume: the live answer of this conversation from its start, or 204 when none is running here. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  const live = activeStreams.get(id);
  if (!live || live.userId !== user.id) return new Response(null, { status: 204 });
  return new Response(live.follow().pipeThrough(new TextEncoderStream()), { headers: UI_MESSAGE_STREAM_HEADERS });
}

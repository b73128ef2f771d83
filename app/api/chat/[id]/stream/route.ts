import { apiUser } from '@/lib/auth/session';
import { ANSWER_STREAM_HEADERS } from '@/lib/chat/answer-stream';
import { isCurrentAnswer } from '@/lib/chat/conversations';
import { activeStreams } from '@/lib/chat/live';

export const dynamic = 'force-dynamic';

/**
 * Resume: the user's live answer in this conversation from its start — from this instance, or with
 * REDIS_URL from the instance generating it (or a few minutes after it ended) — else 204.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  // The database is asked only for an answer found in Redis (it may be an older one, or deleted).
  const live = await activeStreams.follow(id, user.id, (messageId) => isCurrentAnswer(user.id, id, messageId));
  if (!live) return new Response(null, { status: 204 });
  return new Response(live.pipeThrough(new TextEncoderStream()), { headers: ANSWER_STREAM_HEADERS });
}

// POST /api/conversations/:id/branch {messageId} — show the branch through one of a message's alternatives
// (the ‹ 2 / 3 › switch); answers the new current path from a page before that message on (ThreadPage).
// Remembered for every device.
import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { getConversationDetail, switchBranch } from '@/lib/chat/conversations';
import type { ThreadPage } from '@/lib/chat/types';
import { errorJson, notFound, readJson } from '@/lib/http';

export const dynamic = 'force-dynamic';

const bodySchema = z.object({ messageId: z.string().min(1).max(100) });

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  const body = await readJson(req, bodySchema);
  if (body instanceof Response) return body;
  const outcome = await switchBranch(user.id, id, body.messageId);
  if (outcome === 'not_found') return notFound();
  if (outcome === 'busy') return errorJson(409, { code: 'conversation_busy', retryable: true });
  // The page reaches back to the switched message: the thread shows the new branch where the reader is.
  const detail = await getConversationDetail(user.id, id, { to: body.messageId });
  return detail
    ? Response.json({ messages: detail.messages, olderCount: detail.olderCount } satisfies ThreadPage, { headers: { 'cache-control': 'no-store' } })
    : notFound();
}

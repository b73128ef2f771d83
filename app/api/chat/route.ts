import { apiUser } from '@/lib/auth/session';
import { runChatTurn } from '@/lib/chat/chat-turn';
import { readJson } from '@/lib/chat/http';
import { chatRequestSchema } from '@/lib/chat/types';

export const dynamic = 'force-dynamic';
// Long answers from thinking models can take minutes.
export const maxDuration = 900;

export async function POST(req: Request): Promise<Response> {
  const startedAt = performance.now();
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const body = await readJson(req, chatRequestSchema);
  if (body instanceof Response) return body;
  return runChatTurn(user, body, startedAt);
}

import { chatCompletions } from '@/lib/gateway/handlers';

export const dynamic = 'force-dynamic';
// Long answers from thinking models can take minutes.
export const maxDuration = 900;

/** POST /api/v1/chat/completions — Kimi's chat API for personal keys (Bearer kc-…), within the user's quota. */
export function POST(req: Request): Promise<Response> {
  return chatCompletions(req);
}

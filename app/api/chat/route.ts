import { postChat } from '@/lib/chat/chat-post';

export const dynamic = 'force-dynamic';
// Long answers from thinking models can take minutes.
export const maxDuration = 900;

export const POST = (req: Request): Promise<Response> => postChat(req);

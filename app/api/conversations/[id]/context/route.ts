// GET /api/conversations/:id/context?model=&draft= — the context meter (lib/chat/context-budget).
import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { contextBudget } from '@/lib/chat/context-budget';
import { isUuid } from '@/lib/chat/conversations';
import { MAX_MESSAGE_CHARS } from '@/lib/contracts';
import { badRequest, notFound } from '@/lib/http';

export const dynamic = 'force-dynamic';

const querySchema = z.object({ model: z.string().min(1).max(100), draft: z.string().max(MAX_MESSAGE_CHARS).default('') });

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  if (!isUuid(id)) return notFound();
  const search = new URL(req.url).searchParams;
  const query = querySchema.safeParse({ model: search.get('model') ?? undefined, draft: search.get('draft') ?? undefined });
  if (!query.success) return badRequest('model: a model id is required');
  const budget = await contextBudget(user.id, id, query.data.model, query.data.draft);
  return budget ? Response.json(budget, { headers: { 'cache-control': 'no-store' } }) : notFound();
}

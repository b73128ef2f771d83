// GET /api/conversations/:id/context?model=&draft=&images=id,id — the context meter (lib/chat/context-budget);
// `images`: the ones attached in the composer, not yet sent (only the user's own count).
import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { contextBudget } from '@/lib/chat/context-budget';
import { isUuid } from '@/lib/chat/conversations';
import { MAX_MESSAGE_CHARS } from '@/lib/chat/limits';
import { MAX_IMAGES_PER_MESSAGE } from '@/lib/chat/types';
import { badRequest, notFound } from '@/lib/http';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  model: z.string().min(1).max(100),
  draft: z.string().max(MAX_MESSAGE_CHARS).default(''),
  images: z
    .string()
    .default('')
    .transform((s) => (s === '' ? [] : s.split(',')))
    .pipe(z.array(z.uuid()).max(MAX_IMAGES_PER_MESSAGE)),
});

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  if (!isUuid(id)) return notFound();
  const search = new URL(req.url).searchParams;
  const query = querySchema.safeParse({
    model: search.get('model') ?? undefined,
    draft: search.get('draft') ?? undefined,
    images: search.get('images') ?? undefined,
  });
  if (!query.success) return badRequest(`model: a model id is required; images: at most ${MAX_IMAGES_PER_MESSAGE} image ids`);
  const budget = await contextBudget(user.id, id, query.data.model, query.data.draft, query.data.images);
  return budget ? Response.json(budget, { headers: { 'cache-control': 'no-store' } }) : notFound();
}

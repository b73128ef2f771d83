import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { notFound, readJson } from '@/lib/http';
import { createShare } from '@/lib/share/shares';
import { shareVisibilitySchema } from '@/lib/share/types';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

const body = z.object({ visibility: shareVisibilitySchema });

/** POST /api/conversations/:id/share { visibility }: a new link to a snapshot of the conversation (201 ShareSummary). */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const input = await readJson(req, body);
  if (input instanceof Response) return input;
  const share = await createShare(user.id, (await params).id, input.visibility);
  return share ? Response.json(share, { status: 201 }) : notFound();
}

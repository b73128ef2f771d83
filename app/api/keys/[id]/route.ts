import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { revokeOwnApiKey } from '@/lib/gateway/keys';
import { notFound } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** DELETE /api/keys/:id — revokes one of the signed-in user's own keys (anyone else's: 404). */
export async function DELETE(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  if (!z.uuid().safeParse(id).success) return notFound();
  if ((await revokeOwnApiKey(await db(), user.id, id)) === 'not_found') return notFound();
  return new Response(null, { status: 204 });
}

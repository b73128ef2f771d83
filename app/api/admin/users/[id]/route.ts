import { z } from 'zod';
import { applyUserAction, userActionSchema } from '@/lib/admin/users';
import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { adminDone, adminInvalid, adminRefused, notFound, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** POST /api/admin/users/:id — { action: role | disabled | limits | approve, … } (admins only; each change is audited). */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const { id } = await ctx.params;
  if (!z.uuid().safeParse(id).success) return notFound();
  const input = await readAdminInput(req, userActionSchema);
  if (!input.data) return adminInvalid(req, input);
  const result = await applyUserAction(await db(), id, input.data, admin);
  if (result === 'not_found') return notFound();
  if (result === 'last_admin') return adminRefused(req, input, 409, 'last_admin', { code: 'forbidden', retryable: false });
  return adminDone(req, input);
}

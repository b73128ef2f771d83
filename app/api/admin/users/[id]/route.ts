import { z } from 'zod';
import { createPasswordResetLink } from '@/lib/admin/access';
import { applyUserAction, userActionSchema } from '@/lib/admin/users';
import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { adminDone, adminInvalid, adminRefused, notFound, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** POST /api/admin/users/:id — { action: role | disabled | limits | approve | resetLink, … } (admins only; each change is audited). */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const { id } = await ctx.params;
  if (!z.uuid().safeParse(id).success) return notFound();
  const input = await readAdminInput(req, z.union([userActionSchema, z.object({ action: z.literal('resetLink') })]));
  if (!input.data) return adminInvalid(req, input);
  if (input.data.action === 'resetLink') {
    // A one-time password-reset link, answered once (JSON, or the users page with `?link=`).
    const token = await createPasswordResetLink(await db(), id, admin);
    if (token === null) return notFound();
    const link = `${new URL(req.url).origin}/reset-password?${new URLSearchParams({ token })}`;
    if (!input.back) return Response.json({ link }, { headers: { 'cache-control': 'no-store' } });
    return new Response(null, { status: 303, headers: { location: `/admin/users?${new URLSearchParams({ link })}` } });
  }
  const result = await applyUserAction(await db(), id, input.data, admin);
  if (result === 'not_found') return notFound();
  if (result === 'last_admin') return adminRefused(req, input, 409, 'last_admin', { code: 'forbidden', retryable: false });
  return adminDone(req, input);
}

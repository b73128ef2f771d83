import { createInvitation, invitationCreateSchema } from '@/lib/admin/access';
import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { adminInvalid, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

/**
 * POST /api/admin/invitations — { role, days, note }: a single-use invitation link (admins only; audited).
 * The link is answered once (JSON `{ id, link }`, or the access page with `?link=`); only its hash is kept.
 */
export async function POST(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const input = await readAdminInput(req, invitationCreateSchema);
  if (!input.data) return adminInvalid(req, input);
  const { id, token } = await createInvitation(await db(), input.data, admin);
  const link = `${new URL(req.url).origin}/sign-up?${new URLSearchParams({ invite: token })}`;
  if (!input.back) return Response.json({ id, link }, { headers: { 'cache-control': 'no-store' } });
  return new Response(null, { status: 303, headers: { location: `/admin/access?${new URLSearchParams({ link })}` } });
}

import { z } from 'zod';
import { revokeInvitation } from '@/lib/admin/access';
import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { adminDone, adminInvalid, adminRefused, notFound, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** POST /api/admin/invitations/:id — { action: revoke }: withdraws an unused invitation (admins only; audited). */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const { id } = await ctx.params;
  if (!z.uuid().safeParse(id).success) return notFound();
  const input = await readAdminInput(req, z.object({ action: z.literal('revoke') }));
  if (!input.data) return adminInvalid(req, input);
  const result = await revokeInvitation(await db(), id, admin);
  if (result === 'not_found') return notFound();
  if (result === 'already_closed') return adminRefused(req, input, 409, 'invitation_closed', { code: 'bad_request', retryable: false });
  return adminDone(req, input);
}

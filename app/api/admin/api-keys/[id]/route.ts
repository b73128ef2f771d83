import { z } from 'zod';
import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { adminRevokeApiKey } from '@/lib/gateway/admin';
import { adminDone, adminInvalid, adminRefused, notFound, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** POST /api/admin/api-keys/:id — { action: revoke }: revokes anyone's personal API key (admins only; audited). */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const { id } = await ctx.params;
  if (!z.uuid().safeParse(id).success) return notFound();
  const input = await readAdminInput(req, z.object({ action: z.literal('revoke') }));
  if (!input.data) return adminInvalid(req, input);
  const result = await adminRevokeApiKey(await db(), id, admin);
  if (result === 'not_found') return notFound();
  if (result === 'already_revoked') return adminRefused(req, input, 409, 'key_revoked', { code: 'bad_request', retryable: false });
  return adminDone(req, input);
}

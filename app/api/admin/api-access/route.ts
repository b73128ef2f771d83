import { z } from 'zod';
import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { setInstanceApiAccess, setUserApiAccess } from '@/lib/gateway/switches';
import { adminDone, adminInvalid, notFound, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

const onOff = z.union([z.boolean(), z.enum(['on', 'off']).transform((v) => v === 'on')]);
const schema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('instance'), enabled: onOff }),
  z.object({ scope: z.literal('user'), userId: z.uuid(), enabled: onOff }),
]);

/** POST /api/admin/api-access — { scope: instance, enabled } | { scope: user, userId, enabled } (admins only; audited). */
export async function POST(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const input = await readAdminInput(req, schema);
  if (!input.data) return adminInvalid(req, input);
  const prisma = await db();
  if (input.data.scope === 'instance') await setInstanceApiAccess(prisma, input.data.enabled, admin);
  else if (!(await setUserApiAccess(prisma, input.data.userId, input.data.enabled, admin))) return notFound();
  return adminDone(req, input);
}

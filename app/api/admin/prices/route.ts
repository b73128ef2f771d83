import { priceEditSchema, setPrice } from '@/lib/admin/prices';
import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { adminDone, adminInvalid, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** POST /api/admin/prices — new rates for a model and currency, effective from now (admins only). */
export async function POST(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const input = await readAdminInput(req, priceEditSchema);
  if (!input.data) return adminInvalid(req, input);
  const row = await setPrice(await db(), input.data, admin);
  return adminDone(req, input, { price: { ...row, effectiveFrom: row.effectiveFrom.toISOString() } });
}

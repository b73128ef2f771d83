import { apiUser } from '@/lib/auth/session';
import { listShares } from '@/lib/share/shares';

export const dynamic = 'force-dynamic';

/** GET /api/shares: the signed-in user's live share links (ShareSummary[]). */
export async function GET(req: Request): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  return Response.json(await listShares(user.id), { headers: { 'cache-control': 'no-store' } });
}

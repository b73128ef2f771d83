import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { badRequest } from '@/lib/http';
import { exportUsageCsv } from '@/lib/usage/export';
import { parseExportPeriod } from '@/lib/usage/export-period';

export const dynamic = 'force-dynamic';

/** GET /api/admin/usage/export?from=&to= — the ledger rows of the period as CSV (admins only). */
export async function GET(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const period = parseExportPeriod(new URL(req.url).searchParams);
  if (!period) return badRequest('from/to: UTC days (YYYY-MM-DD) or ISO timestamps, from before to');
  const name = `usage-${period.from.toISOString().slice(0, 10)}-${period.to.toISOString().slice(0, 10)}.csv`;
  return new Response(exportUsageCsv(await db(), period.from, period.to), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  });
}

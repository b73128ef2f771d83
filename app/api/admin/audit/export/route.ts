import { exportAuditCsv, parseAuditFilter } from '@/lib/admin/audit';
import { apiAdmin } from '@/lib/auth/session';
import { db } from '@/lib/db';

export const dynamic = 'force-dynamic';

/** GET /api/admin/audit/export?actor=&target=&kind= — the audit rows the filter matches, as CSV (admins only). */
export async function GET(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const { before: _ignored, ...filter } = parseAuditFilter(new URL(req.url).searchParams);
  return new Response(exportAuditCsv(await db(), filter), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    },
  });
}

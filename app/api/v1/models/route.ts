import { listModels } from '@/lib/gateway/handlers';

export const dynamic = 'force-dynamic';

/** GET /api/v1/models — the models this instance serves, in Kimi's list shape (Bearer kc-…). */
export function GET(req: Request): Promise<Response> {
  return listModels(req);
}

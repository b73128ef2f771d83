import { estimateTokenCount } from '@/lib/gateway/handlers';

export const dynamic = 'force-dynamic';

/** POST /api/v1/tokenizers/estimate-token-count — Kimi's token count for {model, messages} (Bearer kc-…). */
export function POST(req: Request): Promise<Response> {
  return estimateTokenCount(req);
}

// The client's address, for per-IP rate limits. Only the socket address is trustworthy: Next copies it into
// X-Forwarded-For only when the client sent none. scripts/start.ts stamps the socket address into
// CLIENT_IP_HEADER (replacing any client-sent value); behind a reverse proxy (TRUST_PROXY=true) the last
// X-Forwarded-For entry is the one our proxy added.
import { config } from '@/lib/config';

export const CLIENT_IP_HEADER = 'x-kimi-client-ip';

export function clientIp(headers: Headers, trustProxy = config().security.trustProxy): string {
  if (trustProxy) {
    const last = headers.get('x-forwarded-for')?.split(',').pop()?.trim();
    if (last) return last;
  }
  return headers.get(CLIENT_IP_HEADER) || 'unknown';
}

// Cross-site request forgery: a state-changing API request must come from a page of ours. Browsers send
// `Origin` on every cross-origin request and on same-origin POST/PUT/PATCH/DELETE; older ones send only
// `Sec-Fetch-Site`. A request with neither is not from a browser (curl, scripts), so it carries no
// ambient cookies an attacker could ride on. Auth.js guards /api/auth/* with its own double-submit token.

import { config } from '@/lib/config';
import type { ApiErrorBody } from '@/lib/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The hosts this request may have come from: its Host, and behind a trusted proxy the forwarded one. */
function ownHosts(req: Request, trustProxy: boolean): string[] {
  const hosts = [req.headers.get('host') ?? new URL(req.url).host];
  const forwarded = trustProxy ? req.headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  if (forwarded) hosts.push(forwarded);
  return hosts.map((h) => h.toLowerCase());
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null; // includes the opaque "null" origin (sandboxed frames, data: URLs)
  }
}

export function isSameOrigin(req: Request, trustProxy = config().security.trustProxy): boolean {
  const origin = req.headers.get('origin');
  if (origin !== null) {
    const host = originHost(origin);
    return host !== null && ownHosts(req, trustProxy).includes(host);
  }
  const site = req.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

/** null when the request may proceed; else a 403 to return as is. */
export function sameOriginOrResponse(req: Request): Response | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  if (new URL(req.url).pathname.startsWith('/api/auth/')) return null;
  if (isSameOrigin(req)) return null;
  const body: ApiErrorBody = { error: { code: 'forbidden', detail: 'cross-origin request refused', retryable: false } };
  return Response.json(body, { status: 403, headers: { 'cache-control': 'no-store' } });
}

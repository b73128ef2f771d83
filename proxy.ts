// Pages need a session: a signed-out visit goes to /sign-in and comes back afterwards. Only the token is
// checked here (decrypt, cached; no database) — pages and API routes still check the user row themselves
// through lib/auth/session, and API routes answer 401 JSON instead of redirecting.
// Every page also gets a per-request CSP nonce: set on the request, Next stamps it on its own scripts.
import { type NextRequest, NextResponse } from 'next/server';
import { decodeSessionToken, findSessionCookie } from '@/lib/auth/token';
import { contentSecurityPolicy, createNonce } from '@/lib/security/csp';

const PUBLIC_PAGES = new Set(['/sign-in', '/sign-up', '/reset-password']);
/** Shared snapshots: the page itself decides (anyone with the link, or signed-in users only). */
const isPublic = (pathname: string) => PUBLIC_PAGES.has(pathname) || pathname.startsWith('/s/');
const DEV = process.env.NODE_ENV === 'development';

function withPolicy(response: NextResponse, csp: string): NextResponse {
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export async function proxy(request: NextRequest) {
  const csp = contentSecurityPolicy(createNonce(), DEV);
  const { pathname, search } = request.nextUrl;
  const cookie = isPublic(pathname) ? null : findSessionCookie(new Map(request.cookies.getAll().map((c) => [c.name, c.value])));
  if (isPublic(pathname) || (cookie && (await decodeSessionToken(cookie)))) {
    const headers = new Headers(request.headers);
    headers.set('Content-Security-Policy', csp);
    return withPolicy(NextResponse.next({ request: { headers } }), csp);
  }
  const signIn = new URL('/sign-in', request.url);
  if (pathname !== '/' || search) signIn.searchParams.set('callbackUrl', `${pathname}${search}`);
  return withPolicy(NextResponse.redirect(signIn), csp);
}

export const config = {
  // Everything but API routes (incl. /api/auth and /api/health), Next's assets, and files with an extension.
  matcher: ['/((?!api(?:/|$)|_next/|favicon\\.ico$|.*\\.[A-Za-z0-9]+$).*)'],
};

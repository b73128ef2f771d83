// Pages need a session: a signed-out visit goes to /sign-in and comes back afterwards. Only the token is
// checked here (decrypt, cached; no database) — pages and API routes still check the user row themselves
// through lib/auth/session, and API routes answer 401 JSON instead of redirecting.
import { NextResponse, type NextRequest } from 'next/server';
import { decodeSessionToken, findSessionCookie } from '@/lib/auth/token';

const PUBLIC_PAGES = new Set(['/sign-in', '/sign-up']);

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PAGES.has(pathname)) return NextResponse.next();
  const cookie = findSessionCookie(new Map(request.cookies.getAll().map((c) => [c.name, c.value])));
  if (cookie && (await decodeSessionToken(cookie))) return NextResponse.next();
  const signIn = new URL('/sign-in', request.url);
  if (pathname !== '/' || search) signIn.searchParams.set('callbackUrl', `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything but API routes (incl. /api/auth and /api/health), Next's assets, and files with an extension.
  matcher: ['/((?!api(?:/|$)|_next/|favicon\\.ico$|.*\\.[A-Za-z0-9]+$).*)'],
};

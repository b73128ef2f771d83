// Signing out ends the session on the server (issue 17, item 3): a copy of the session cookie saved before
// sign-out — the one signed out with, and the one it was renewed from — is refused afterwards, through
// Auth.js's own endpoints and through the sidebar's server action; other sessions of the user go on.
// "Sign out everywhere" (the account page) ends every session of the user and nobody else's.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { closeDb, db, type PrismaClient } from '@/lib/db';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/db';
import { cookieJar, requestState } from '../support/next-headers';

// Pages and server actions read the request through next/headers (tests/support/next-headers.ts).
const jar = cookieJar;
vi.mock('next/headers', async () => (await import('../support/next-headers')).nextHeadersModule());

const BASE = 'http://127.0.0.1:3000';
const PASSWORD = 'a long enough password';
const SESSION = 'authjs.session-token';

let addresses = 0;
const cookiePairs = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!);
const sessionOf = (res: Response) => cookiePairs(res).find((c) => c.startsWith(`${SESSION}=`) && c.length > SESSION.length + 1);

async function handlers() {
  return (await import('@/lib/auth')).handlers;
}

async function csrf(cookie = ''): Promise<{ token: string; cookie: string }> {
  const res = await (await handlers()).GET(new NextRequest(`${BASE}/api/auth/csrf`, { headers: { cookie } }));
  return { token: ((await res.json()) as { csrfToken: string }).csrfToken, cookie: cookiePairs(res).join('; ') };
}

async function signIn(email: string): Promise<string> {
  const c = await csrf();
  const res = await (await handlers()).POST(
    new NextRequest(`${BASE}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-kimi-client-ip': `192.0.2.${++addresses}` },
      body: new URLSearchParams({ email, password: PASSWORD, callbackUrl: '/', csrfToken: c.token }),
    }),
  );
  const cookie = sessionOf(res);
  if (!cookie) throw new Error('sign-in failed');
  return cookie;
}

/** GET /api/auth/session: the session's user (or null), and the renewed cookie Auth.js sets. */
async function authSession(cookie: string): Promise<{ user: unknown; renewed?: string }> {
  const res = await (await handlers()).GET(new NextRequest(`${BASE}/api/auth/session`, { headers: { cookie } }));
  const body = (await res.json()) as { user?: unknown } | null;
  return { user: body?.user ?? null, renewed: sessionOf(res) };
}

/** POST /api/auth/signout with a CSRF token, as the browser's sign-out would. */
async function endpointSignOut(cookie: string): Promise<void> {
  const c = await csrf(cookie);
  const res = await (await handlers()).POST(
    new NextRequest(`${BASE}/api/auth/signout`, {
      method: 'POST',
      headers: { cookie: `${cookie}; ${c.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken: c.token, callbackUrl: '/' }),
    }),
  );
  expect(res.status).toBe(302);
  // The cookie is cleared in this browser…
  expect(res.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=;`))).toBe(true);
}

/** GET /api/conversations with `cookie`: 200 while the session lives, 401 after. */
async function conversations(cookie: string): Promise<number> {
  const route = (await import('@/app/api/conversations/route')) as unknown as { GET: (req: Request) => Promise<Response> };
  return (await route.GET(new Request(`${BASE}/api/conversations`, { headers: { cookie } }))).status;
}

/** Runs a server action as the holder of `cookie`; Next's redirect comes back as its digest. */
async function asAction(cookie: string, run: () => Promise<void>): Promise<string | undefined> {
  jar.clear();
  jar.set(SESSION, cookie.slice(SESSION.length + 1));
  for (const key of [...requestState.headers.keys()]) requestState.headers.delete(key);
  requestState.headers.set('cookie', cookie);
  requestState.headers.set('host', '127.0.0.1:3000');
  requestState.headers.set('x-forwarded-proto', 'http');
  try {
    await run();
    return undefined;
  } catch (error) {
    return String((error as { digest?: string }).digest ?? error);
  }
}

describeEachDatabase('signing out', (kind) => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let users = 0;
  const newUser = async () => {
    const { createUser } = await import('@/lib/auth/users');
    return createUser({ email: `out-${kind}-${++users}@example.com`, password: PASSWORD });
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.close();
    await closeDb();
    delete process.env.DATABASE_URL;
    Object.assign(process.env, database.env, { AUTH_SECRET: 'sign-out-test-secret-0123456789abcdefghijkl' });
    resetConfigForProcess();
    prisma = await db();
  });

  afterAll(async () => {
    await closeDb();
    await database.cleanup();
  });

  it('ends the session on the server: the saved cookie, and the one it was renewed from, answer 401', async () => {
    const user = await newUser();
    const saved = await signIn(user.email);
    const elsewhere = await signIn(user.email); // another browser of the same user
    expect(await conversations(saved)).toBe(200);
    // Auth.js renews the token on /api/auth/session: a new token string of the same session.
    const { user: seen, renewed } = await authSession(saved);
    expect(seen).toMatchObject({ id: user.id });
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(saved);
    expect(await conversations(renewed!)).toBe(200);

    await endpointSignOut(renewed!);

    expect(await conversations(renewed!)).toBe(401);
    expect(await conversations(saved)).toBe(401);
    // Auth.js's own session endpoint no longer knows it either, and renews nothing.
    expect(await authSession(saved)).toEqual({ user: null, renewed: undefined });
    // Only that session: the other browser is still signed in.
    expect(await conversations(elsewhere)).toBe(200);
    // Listed until every token of the session has expired (30 days from now).
    const rows = await prisma.revokedSession.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    const days = (rows[0]!.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it("ends it through the sidebar's sign-out action too", async () => {
    const user = await newUser();
    const saved = await signIn(user.email);
    const { signOutAction } = await import('@/lib/auth/actions');
    expect(await asAction(saved, signOutAction)).toMatch(/^NEXT_REDIRECT;replace;\/sign-in;/);
    expect(jar.get(SESSION) ?? '').toBe('');
    expect(await conversations(saved)).toBe(401);
  });

  it('is refused by an instance that did not see the sign-out, once its cache is gone (read from the database)', async () => {
    const user = await newUser();
    const saved = await signIn(user.email);
    expect(await conversations(saved)).toBe(200);
    await endpointSignOut(saved);
    // Another instance: its own module graph and caches (kept on globalThis), the same database.
    for (const symbol of ['kimi-chat.auth.revokedCache', 'kimi-chat.auth.userCache'])
      delete (globalThis as Record<symbol, unknown>)[Symbol.for(symbol)];
    vi.resetModules();
    const other = await import('@/lib/auth/session');
    expect(await other.getUserFromRequest(new Request(`${BASE}/`, { headers: { cookie: saved } }))).toBeNull();
  });

  it('"sign out everywhere" ends every session of the user, and nobody else\'s', async () => {
    const user = await newUser();
    const other = await newUser();
    const here = await signIn(user.email);
    const there = await signIn(user.email);
    const theirs = await signIn(other.email);
    const { signOutEverywhereAction } = await import('@/app/(chat)/account/actions');
    expect(await asAction(here, signOutEverywhereAction)).toMatch(/^NEXT_REDIRECT;replace;\/sign-in;/);
    expect(jar.get(SESSION) ?? '').toBe('');
    expect(await conversations(here)).toBe(401);
    expect(await conversations(there)).toBe(401);
    expect(await conversations(theirs)).toBe(200);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(1);
    // Signing in again works.
    expect(await conversations(await signIn(user.email))).toBe(200);
  });
});

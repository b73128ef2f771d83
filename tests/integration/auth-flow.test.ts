// The real Auth.js endpoints (as the browser's sign-in would hit them) issue a cookie that our fast
// session check accepts, and surface "disabled" as its own error code.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { handlers } from '@/lib/auth';
import { getUserFromRequest } from '@/lib/auth/session';
import { createUser } from '@/lib/auth/users';
import { resetConfigForProcess } from '@/lib/config';
import { closeDb, db } from '@/lib/db';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/db';

const BASE = 'http://127.0.0.1:3000';
const PASSWORD = 'a long enough password';

/** The redirect target without its host: Next's URL normalisation names 127.0.0.1 "localhost". */
function location(res: Response): { host: string; path: string } {
  const url = new URL(res.headers.get('location') ?? '', BASE);
  expect(['127.0.0.1:3000', 'localhost:3000']).toContain(url.host);
  return { host: url.host, path: `${url.pathname}${url.search}` };
}

function cookiePairs(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

async function postCredentials(fields: Record<string, string>): Promise<Response> {
  const csrf = await handlers.GET(new NextRequest(`${BASE}/api/auth/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return handlers.POST(
    new NextRequest(`${BASE}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { cookie: cookiePairs(csrf).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, csrfToken }),
    }),
  );
}

describeEachDatabase('Auth.js credentials sign-in', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.close();
    await closeDb();
    delete process.env.DATABASE_URL;
    // The endpoint counts sign-in attempts (lib/auth/config.ts); the limits have their own tests
    // (auth-limits.test.ts), and this file signs the same emails in on both databases.
    Object.assign(process.env, database.env, {
      AUTH_SECRET: 'flow-test-secret-0123456789abcdefghijkl',
      RATE_LIMIT_SIGN_IN_PER_MINUTE: '0',
      RATE_LIMIT_SIGN_IN_EMAIL_PER_MINUTE: '0',
    });
    resetConfigForProcess();
    await db();
  });

  afterAll(async () => {
    await closeDb();
    await database.cleanup();
  });

  it('signs in, and the issued cookie passes the session check and /api/auth/session', async () => {
    const user = await createUser({ email: 'flow@example.com', password: PASSWORD, name: 'Flow' });
    const res = await postCredentials({ email: '  FLOW@example.com', password: PASSWORD, callbackUrl: '/c/42' });
    expect(res.status).toBe(302);
    expect(location(res).path).toBe('/c/42');
    const session = cookiePairs(res).find((c) => c.startsWith('authjs.session-token='));
    expect(session).toBeDefined();

    const cookie = session!;
    expect(await getUserFromRequest(new Request(`${BASE}/`, { headers: { cookie } }))).toEqual({
      id: user.id,
      email: 'flow@example.com',
      name: 'Flow',
      role: 'admin',
    });
    const info = await handlers.GET(new NextRequest(`${BASE}/api/auth/session`, { headers: { cookie } }));
    expect(await info.json()).toMatchObject({ user: { id: user.id, role: 'admin', email: 'flow@example.com' } });
  });

  it('sends failures to /sign-in with a specific code, and never off-site', async () => {
    await createUser({ email: 'off@example.com', password: PASSWORD });
    const wrong = await postCredentials({ email: 'off@example.com', password: 'not the password', callbackUrl: '/' });
    expect(location(wrong).path).toBe('/sign-in?error=CredentialsSignin&code=invalid_credentials');
    expect(cookiePairs(wrong).some((c) => c.startsWith('authjs.session-token='))).toBe(false);

    const prisma = await db();
    await prisma.user.update({ where: { email: 'off@example.com' }, data: { disabled: true } });
    const disabled = await postCredentials({ email: 'off@example.com', password: PASSWORD, callbackUrl: '/' });
    expect(location(disabled).path).toBe('/sign-in?error=CredentialsSignin&code=account_disabled');

    await prisma.user.update({ where: { email: 'off@example.com' }, data: { disabled: false } });
    const offSite = await postCredentials({ email: 'off@example.com', password: PASSWORD, callbackUrl: 'https://evil.example/x' });
    expect(location(offSite).path).toBe('/');
  });
});

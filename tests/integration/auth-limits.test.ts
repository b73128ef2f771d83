// Sign-in limits hold on every path that checks a password (issue 17, item 2), driven through Auth.js's
// own endpoints (GET /api/auth/csrf, POST /api/auth/callback/credentials) as a script would, not only
// through the sign-in form's server action; and a refused sign-in logs one line (item 5).
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { closeDb, db } from '@/lib/db';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/db';
import { requestState } from '../support/next-headers';

// Pages and server actions read the request through next/headers (tests/support/next-headers.ts).
vi.mock('next/headers', async () => (await import('../support/next-headers')).nextHeadersModule());

const BASE = 'http://127.0.0.1:3000';
const PASSWORD = 'a long enough password';
// The defaults: 10 a minute per address, 5 a minute per email.
const PER_IP = 10;
const PER_EMAIL = 5;

let addresses = 0;
const freshIp = () => `203.0.113.${++addresses % 250}-${addresses}`;

function cookiePairs(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

/** POST /api/auth/callback/credentials with a token from GET /api/auth/csrf, from `ip`. */
async function endpointSignIn(
  email: string,
  password: string,
  ip: string,
  extra: Record<string, string> = {},
): Promise<{ cookie?: string; code: string | null }> {
  const { handlers } = await import('@/lib/auth');
  const csrf = await handlers.GET(new NextRequest(`${BASE}/api/auth/csrf`, { headers: { 'x-kimi-client-ip': ip } }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await handlers.POST(
    new NextRequest(`${BASE}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { cookie: cookiePairs(csrf).join('; '), 'content-type': 'application/x-www-form-urlencoded', 'x-kimi-client-ip': ip },
      body: new URLSearchParams({ ...extra, email, password, callbackUrl: '/', csrfToken }),
    }),
  );
  expect(res.status).toBe(302);
  const cookie = cookiePairs(res).find((c) => c.startsWith('authjs.session-token='));
  return { cookie, code: new URL(res.headers.get('location') ?? '', BASE).searchParams.get('code') };
}

async function formSignIn(email: string, password: string, ip: string) {
  const { signInAction } = await import('@/app/(auth)/actions');
  requestState.headers.set('x-kimi-client-ip', ip);
  const form = new FormData();
  form.set('email', email);
  form.set('password', password);
  form.set('callbackUrl', '/');
  try {
    return await signInAction({}, form);
  } catch (error) {
    // A successful sign-in ends in redirect(), which throws.
    if ((error as { digest?: string }).digest?.startsWith('NEXT_REDIRECT')) return { redirected: true };
    throw error;
  }
}

describeEachDatabase('sign-in limits on every path', (kind) => {
  let database: TestDatabase;
  let users = 0;
  const newUser = async () => {
    const { createUser } = await import('@/lib/auth/users');
    return createUser({ email: `limits-${kind}-${++users}@example.com`, password: PASSWORD });
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.close();
    await closeDb();
    delete process.env.DATABASE_URL;
    Object.assign(process.env, database.env, { AUTH_SECRET: 'limits-test-secret-0123456789abcdefghijkl' });
    resetConfigForProcess();
    await db();
  });

  afterAll(async () => {
    await closeDb();
    await database.cleanup();
  });

  afterEach(() => vi.restoreAllMocks());

  it("limits guesses per email on Auth.js's own credentials endpoint, even from many addresses", async () => {
    const user = await newUser();
    for (let i = 0; i < PER_EMAIL; i++)
      expect(await endpointSignIn(user.email, `guess ${i}`, freshIp())).toEqual({ cookie: undefined, code: 'invalid_credentials' });
    // Now even the right password is refused without being checked, from a new address and in another case.
    expect(await endpointSignIn(user.email.toUpperCase(), PASSWORD, freshIp())).toEqual({ cookie: undefined, code: 'too_many_attempts' });
    // The form shares the budget, with the wait to show.
    const form = await formSignIn(user.email, PASSWORD, freshIp());
    expect(form).toMatchObject({ error: 'too_many_attempts', email: user.email });
    expect((form as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect((form as { retryAfterSeconds?: number }).retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('limits attempts per address across emails, on the endpoint and the form together', async () => {
    const ip = freshIp();
    const emails = await Promise.all(Array.from({ length: PER_IP + 1 }, () => newUser().then((u) => u.email)));
    for (let i = 0; i < PER_IP / 2; i++) expect((await endpointSignIn(emails[i]!, 'wrong password', ip)).code).toBe('invalid_credentials');
    for (let i = PER_IP / 2; i < PER_IP; i++)
      expect(await formSignIn(emails[i]!, 'wrong password', ip)).toMatchObject({ error: 'invalid_credentials' });
    expect(await endpointSignIn(emails[PER_IP]!, PASSWORD, ip)).toEqual({ cookie: undefined, code: 'too_many_attempts' });
    // Another address is not affected.
    expect((await endpointSignIn(emails[PER_IP]!, PASSWORD, freshIp())).cookie).toMatch(/^authjs\.session-token=/);
  });

  it('counts one attempt per form sign-in, not two', async () => {
    const user = await newUser();
    for (let i = 0; i < PER_EMAIL - 1; i++)
      expect(await formSignIn(user.email, `guess ${i}`, freshIp())).toMatchObject({ error: 'invalid_credentials' });
    expect(await formSignIn(user.email, PASSWORD, freshIp())).toEqual({ redirected: true });
  });

  it("does not count the server's own sign-in after sign-up, and a forged grant counts as usual", async () => {
    const { signUpAction } = await import('@/app/(auth)/actions');
    const email = `fresh-${kind}-${++users}@example.com`;
    requestState.headers.set('x-kimi-client-ip', freshIp());
    requestState.headers.set('x-forwarded-proto', 'http');
    requestState.headers.set('host', '127.0.0.1:3000');
    const form = new FormData();
    form.set('email', email);
    form.set('password', PASSWORD);
    const digest = await signUpAction({}, form).then(
      () => undefined,
      (error: unknown) => (error as { digest?: string }).digest,
    );
    expect(digest).toMatch(/^NEXT_REDIRECT/);
    // The whole budget is left: four wrong guesses (with forged grants), then the right password.
    for (let i = 0; i < PER_EMAIL - 1; i++)
      expect((await endpointSignIn(email, `guess ${i}`, freshIp(), { grant: `forged-${i}` })).code).toBe('invalid_credentials');
    expect((await endpointSignIn(email, PASSWORD, freshIp(), { grant: 'forged' })).cookie).toMatch(/^authjs\.session-token=/);
    // Spent: a forged grant does not skip the limit.
    expect((await endpointSignIn(email, PASSWORD, freshIp(), { grant: 'forged' })).code).toBe('too_many_attempts');
  });

  it('logs a refused sign-in as one line, without a stack trace', async () => {
    const user = await newUser();
    const lines: string[] = [];
    for (const method of ['error', 'warn', 'log', 'info'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((a) => (a instanceof Error ? `${a.stack}` : String(a))).join(' '));
      });
    }
    await endpointSignIn(user.email, 'not the password', freshIp());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('[auth] sign-in refused: invalid_credentials');
    expect(lines.join('\n').split('\n')).toHaveLength(1);
  });
});

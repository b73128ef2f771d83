// Changing one's password (lib/auth/change-password.ts, behind the account page): input rules, the current
// password check and its rate limit, and that the change ends every session at once — checked with cookies
// issued by the real Auth.js credentials endpoint, on PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '@/lib/auth';
import { type ChangePasswordInput, changePassword } from '@/lib/auth/change-password';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/limits';
import { verifyPassword } from '@/lib/auth/password';
import { getUserFromRequest } from '@/lib/auth/session';
import { createUser } from '@/lib/auth/users';
import { resetConfigForProcess } from '@/lib/config';
import { closeDb, db, type PrismaClient } from '@/lib/db';
import { checkSignInRateLimit } from '@/lib/ratelimit';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/db';

const BASE = 'http://127.0.0.1:3000';
const OLD = 'the first long password';
const NEW = 'a brand new long password';

// Every call gets its own client address, so only the per-email limit is in play. Auth.js's endpoint
// counts sign-ins against it too (lib/auth/config.ts), and one test signs the same user in five times:
// the per-email limit is raised to 10 here, and the guessing test reads it.
const PER_EMAIL = 10;
let addresses = 0;
const clientIp = () => `198.51.100.${++addresses}`;

function change(userId: string, input: Partial<ChangePasswordInput> = {}) {
  return changePassword(
    userId,
    { currentPassword: OLD, newPassword: NEW, confirmPassword: input.newPassword ?? NEW, ...input },
    { clientIp: clientIp() },
  );
}

function cookiePairs(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

/** Signs in through Auth.js's own credentials endpoint, as the browser would: the session cookie, or the error code. */
async function signIn(email: string, password: string): Promise<{ cookie: string } | { error: string | null }> {
  const csrf = await handlers.GET(new NextRequest(`${BASE}/api/auth/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await handlers.POST(
    new NextRequest(`${BASE}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { cookie: cookiePairs(csrf).join('; '), 'content-type': 'application/x-www-form-urlencoded', 'x-kimi-client-ip': clientIp() },
      body: new URLSearchParams({ email, password, callbackUrl: '/', csrfToken }),
    }),
  );
  expect(res.status).toBe(302);
  const cookie = cookiePairs(res).find((c) => c.startsWith('authjs.session-token='));
  if (cookie) return { cookie };
  return { error: new URL(res.headers.get('location') ?? '', BASE).searchParams.get('code') };
}

async function sessionCookie(email: string, password: string): Promise<string> {
  const result = await signIn(email, password);
  if (!('cookie' in result)) throw new Error(`sign-in failed: ${result.error}`);
  return result.cookie;
}

function userOf(cookie: string) {
  return getUserFromRequest(new Request(`${BASE}/api/conversations`, { headers: { cookie } }));
}

describeEachDatabase('changing the password', (kind) => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let users = 0;
  /** A fresh account per test: the rate limiter's memory outlives the tests (and both databases). */
  const newUser = () => createUser({ email: `pw-${kind}-${++users}@example.com`, password: OLD });
  // Password accounts only here: a missing hash would be a bug, so it fails the test.
  const stored = async (id: string) => {
    const row = await prisma.user.findUniqueOrThrow({ where: { id }, select: { passwordHash: true, sessionVersion: true } });
    if (row.passwordHash === null) throw new Error('password account without a hash');
    return { ...row, passwordHash: row.passwordHash };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.close();
    await closeDb();
    delete process.env.DATABASE_URL;
    Object.assign(process.env, database.env, {
      AUTH_SECRET: 'account-test-secret-0123456789abcdefghijkl',
      RATE_LIMIT_SIGN_IN_EMAIL_PER_MINUTE: String(PER_EMAIL),
    });
    resetConfigForProcess();
    prisma = await db();
  });

  afterAll(async () => {
    await closeDb();
    await database.cleanup();
  });

  it('refuses bad input and a wrong current password, and changes nothing', async () => {
    const user = await newUser();
    const before = await stored(user.id);
    const cases: Array<[Partial<ChangePasswordInput>, string]> = [
      [{ currentPassword: '' }, 'current_password_required'],
      [{ newPassword: 'short' }, 'password_too_short'],
      [{ newPassword: 'x'.repeat(PASSWORD_MAX_LENGTH + 1) }, 'password_too_long'],
      [{ confirmPassword: `${NEW}!` }, 'password_mismatch'],
      [{ newPassword: OLD }, 'password_unchanged'],
      // The same password in another Unicode spelling hashes alike (NFKC): still unchanged.
      [{ newPassword: OLD.replace('f', '\uFF46') }, 'password_unchanged'],
      [{ currentPassword: 'not the password' }, 'wrong_current_password'],
      [{ currentPassword: 'x'.repeat(PASSWORD_MAX_LENGTH + 1) }, 'wrong_current_password'],
    ];
    for (const [input, error] of cases) expect(await change(user.id, input), JSON.stringify(input)).toEqual({ ok: false, error });
    expect(await stored(user.id)).toEqual(before);
    expect(await verifyPassword(OLD, before.passwordHash)).toBe(true);
  });

  it('changes the hash and bumps sessionVersion in one update; old sessions end at once, the new password signs in', async () => {
    const user = await newUser();
    const oldCookie = await sessionCookie(user.email, OLD);
    const otherOldCookie = await sessionCookie(user.email, OLD);
    // Warm this process's user cache: the change must drop it, not wait for its 5 s to pass.
    expect(await userOf(oldCookie)).toMatchObject({ id: user.id });
    expect(await userOf(otherOldCookie)).toMatchObject({ id: user.id });

    expect(await change(user.id)).toEqual({ ok: true, email: user.email, sessionVersion: 1 });
    const after = await stored(user.id);
    expect(after.sessionVersion).toBe(1);
    expect(await verifyPassword(NEW, after.passwordHash)).toBe(true);
    expect(await verifyPassword(OLD, after.passwordHash)).toBe(false);

    expect(await userOf(oldCookie)).toBeNull();
    expect(await userOf(otherOldCookie)).toBeNull();

    expect(await signIn(user.email, OLD)).toEqual({ error: 'invalid_credentials' });
    const newCookie = await sessionCookie(user.email, NEW);
    expect(await userOf(newCookie)).toMatchObject({ id: user.id, email: user.email });

    // And again: the cookie issued after the first change ends with the second.
    expect(await change(user.id, { currentPassword: NEW, newPassword: OLD })).toMatchObject({ ok: true, sessionVersion: 2 });
    expect(await userOf(newCookie)).toBeNull();
    expect(await userOf(await sessionCookie(user.email, OLD))).toMatchObject({ id: user.id });
  });

  it('limits guesses of the current password like sign-in attempts, counting only real checks', async () => {
    const user = await newUser();
    // Input errors are reported before any password work and do not count.
    for (let i = 0; i < 6; i++) expect(await change(user.id, { confirmPassword: 'typo' })).toMatchObject({ error: 'password_mismatch' });
    for (let i = 0; i < PER_EMAIL; i++)
      expect(await change(user.id, { currentPassword: `guess ${i}` })).toMatchObject({ error: 'wrong_current_password' });

    const limited = await change(user.id);
    expect(limited).toMatchObject({ ok: false, error: 'too_many_attempts' });
    expect(limited.ok === false && 'retryAfterSeconds' in limited ? limited.retryAfterSeconds : 0).toBeGreaterThan(0);
    expect(await verifyPassword(OLD, (await stored(user.id)).passwordHash)).toBe(true);
    // One budget with the sign-in form: the guesses made here also hold off sign-in for this email.
    expect(await checkSignInRateLimit(clientIp(), user.email)).toBeGreaterThan(0);
  });

  it('lets exactly one of two concurrent changes win', async () => {
    const user = await newUser();
    const results = await Promise.all([change(user.id, { newPassword: `${NEW} one` }), change(user.id, { newPassword: `${NEW} two` })]);
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: 'wrong_current_password' });
    const after = await stored(user.id);
    expect(after.sessionVersion).toBe(1);
    const winner = results[0]!.ok ? `${NEW} one` : `${NEW} two`;
    expect(await verifyPassword(winner, after.passwordHash)).toBe(true);
  });

  it('changes nothing for a disabled or deleted account', async () => {
    const user = await newUser();
    await prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await change(user.id)).toEqual({ ok: false, error: 'account_unavailable' });
    expect(await stored(user.id)).toMatchObject({ sessionVersion: 0 });
    expect(await verifyPassword(OLD, (await stored(user.id)).passwordHash)).toBe(true);
    expect(await change(randomUUID())).toEqual({ ok: false, error: 'account_unavailable' });
  });
});

describe('changePasswordSchema', () => {
  it('is the sign-up rule for the new password', async () => {
    const { changePasswordSchema, signUpSchema } = await import('@/lib/auth/schemas');
    for (const password of ['', 'seven77', 'eight888', 'x'.repeat(PASSWORD_MAX_LENGTH), 'x'.repeat(PASSWORD_MAX_LENGTH + 1)]) {
      const signUp = signUpSchema.safeParse({ email: 'a@example.com', password }).success;
      const changed = changePasswordSchema.safeParse({ currentPassword: 'old one', newPassword: password, confirmPassword: password }).success;
      expect(changed, password).toBe(signUp);
    }
  });
});

// Sign-up does not tell anyone which addresses have accounts (issue 17, item 7). A sign-up on a taken
// address gets a neutral answer — or, with that account's right password, the owner is simply signed in
// (checked and rate-limited as any sign-in). No second account, no "email taken".
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { closeDb, db, type PrismaClient } from '@/lib/db';
import { en } from '@/lib/i18n/messages/en';
import { zh } from '@/lib/i18n/messages/zh';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/db';
import { cookieJar, requestState } from '../support/next-headers';

// Pages and server actions read the request through next/headers (tests/support/next-headers.ts).
const jar = cookieJar;
vi.mock('next/headers', async () => (await import('../support/next-headers')).nextHeadersModule());

const PASSWORD = 'a long enough password';
let addresses = 0;

async function signUp(email: string, password: string): Promise<unknown> {
  const { signUpAction } = await import('@/app/(auth)/actions');
  jar.clear();
  requestState.headers.set('x-kimi-client-ip', `198.18.0.${++addresses}`);
  requestState.headers.set('host', '127.0.0.1:3000');
  requestState.headers.set('x-forwarded-proto', 'http');
  const form = new FormData();
  form.set('email', email);
  form.set('password', password);
  form.set('callbackUrl', '/');
  try {
    return await signUpAction({}, form);
  } catch (error) {
    const digest = (error as { digest?: string }).digest;
    if (digest?.startsWith('NEXT_REDIRECT')) return { redirected: digest.split(';')[2], signedIn: (jar.get('authjs.session-token') ?? '') !== '' };
    throw error;
  }
}

describeEachDatabase('sign-up on a taken address', (kind) => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.close();
    await closeDb();
    delete process.env.DATABASE_URL;
    Object.assign(process.env, database.env, { AUTH_SECRET: 'sign-up-test-secret-0123456789abcdefghijkl' });
    resetConfigForProcess();
    prisma = await db();
  });

  afterAll(async () => {
    await closeDb();
    await database.cleanup();
  });

  it('answers neutrally, without saying the address has an account', async () => {
    const email = `taken-${kind}@example.com`;
    expect(await signUp(email, PASSWORD)).toEqual({ redirected: '/', signedIn: true });
    const again = await signUp(email.toUpperCase(), 'another long password');
    expect(again).toEqual({ error: 'sign_up_failed', email: email.toUpperCase() });
    for (const catalog of [en, zh]) {
      const text = catalog.auth.errors.sign_up_failed;
      expect(text).not.toMatch(/exists|taken|registered|已注册|已被/i);
    }
    expect('email_taken' in en.auth.errors).toBe(false);
    expect(await prisma.user.count({ where: { email } })).toBe(1);
  });

  it("signs the owner in when the password is the account's own, creating nothing", async () => {
    const email = `owner-${kind}@example.com`;
    await signUp(email, PASSWORD);
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(await signUp(email, PASSWORD)).toEqual({ redirected: '/', signedIn: true });
    expect(await prisma.user.findMany({ where: { email } })).toEqual([user]);
  });
});

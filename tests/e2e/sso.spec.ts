// Single sign-on end to end (issue 15): Chromium against a real OpenID Connect issuer on loopback (the
// `oidc-provider` package: discovery, authorization code with PKCE, state and nonce, signed ID tokens) and
// an instance of its own with PASSWORD_SIGNIN=false, on a PostgreSQL database the test also reads (and on
// which it sets the sign-up policy between cases, as the admin page would). The issuer's port and the
// app's are fixed (the client's redirect URI names the app) and inside this worktree's port range.
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../lib/auth/password';
import { SIGNUP_SETTING_KEY } from '../../lib/auth/signup-policy';
import { type Simulator, startSimulator } from '../../sim';
import { type OidcIssuer, startOidcIssuer } from '../support/oidc-issuer';
import { createThrowawayDatabase, type ServerProcess, startServer, type ThrowawayDatabase } from '../support/server-process';
import { composer, PASSWORD, uniqueEmail } from './helpers';
import { type Browser, expect, type Page, test } from './test';

const APP_PORT = Number(process.env.E2E_PORT ?? 3210) + 4;
const ISSUER_PORT = Number(process.env.E2E_PORT ?? 3210) + 5;
const KEY = 'sk-sso';
// Next.js names every loopback address `localhost` in route handlers, so Auth.js's callback URL there says
// localhost whatever AUTH_URL's 127.0.0.1: the browser, AUTH_URL and the redirect URI all use localhost.
const ORIGIN = `http://localhost:${APP_PORT}`;
const BUTTON = 'Sign in with Acme Login';

let sim: Simulator;
let database: ThrowawayDatabase;
let server: ServerProcess;
let issuer: OidcIssuer;

test.describe.configure({ mode: 'serial', timeout: 600_000 });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  issuer = await startOidcIssuer({ port: ISSUER_PORT, redirectUri: `${ORIGIN}/api/auth/callback/oidc` });
  sim = await startSimulator({ apiKeys: [KEY], ttftMs: 50, tokensPerSecond: 200 });
  database = await createThrowawayDatabase('postgres');
  server = await startServer({
    database,
    port: APP_PORT,
    secret: `sso-${randomUUID()}`,
    kimi: { baseURL: sim.url, apiKey: KEY },
    env: {
      AUTH_URL: ORIGIN,
      SIGNUP_POLICY: 'approval',
      OIDC_ISSUER: issuer.issuer,
      OIDC_CLIENT_ID: issuer.clientId,
      OIDC_CLIENT_SECRET: issuer.clientSecret,
      OIDC_NAME: 'Acme Login',
      OIDC_ADMIN_GROUP: 'kimi-admins',
      PASSWORD_SIGNIN: 'false',
    },
    readyTimeoutMs: 400_000,
  });
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures argument as a pattern; testInfo comes second.
test.afterEach(async ({}, testInfo) => {
  // The app's own account of a failed sign-in (Auth.js logs the cause server-side only).
  if (testInfo.status !== testInfo.expectedStatus) console.log(server?.output().slice(-6000));
});

test.afterAll(async () => {
  await server?.stop();
  await issuer?.close();
  await sim?.close();
  await database?.cleanup();
});

/** A person known to the issuer, signing in from a browser of their own. */
function person(login: string, account: { emailVerified?: boolean; groups?: string[]; email?: string } = {}): string {
  const email = account.email ?? uniqueEmail(login);
  issuer.accounts.set(login, { email, emailVerified: account.emailVerified ?? true, groups: account.groups });
  return email;
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: ORIGIN, locale: 'en-US' });
  return context.newPage();
}

/** The button on our sign-in page → the issuer's login page → back to the app (wherever it sends us). */
async function ssoSignIn(page: Page, login: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: BUTTON }).click();
  await page.waitForURL((url) => url.origin === issuer.issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.waitForURL((url) => url.origin !== issuer.issuer && url.pathname !== '/api/auth/callback/oidc');
  expect(new URL(page.url()).origin).toBe(ORIGIN);
}

const setPolicy = (policy: 'approval' | 'invite' | 'open' | 'closed') =>
  database.use((prisma) =>
    prisma.setting.upsert({
      where: { key: SIGNUP_SETTING_KEY },
      create: { key: SIGNUP_SETTING_KEY, value: { policy, allowedDomains: [] } },
      update: { value: { policy, allowedDomains: [] } },
    }),
  );
const userByEmail = (email: string) => database.use((prisma) => prisma.user.findUnique({ where: { email } }));
const alert = (page: Page) => page.locator('p[role="alert"]');

test('PASSWORD_SIGNIN=false: only the SSO button is offered, and the server refuses a password sign-in', async ({ browser, request }) => {
  const page = await newPage(browser);
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: BUTTON })).toBeVisible();
  await expect(page.getByText('This server signs in through Acme Login only.')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await page.goto('/sign-up');
  await expect(page.getByLabel('Password')).toHaveCount(0);

  // A password account with the right password, posted straight to Auth.js: no session.
  const email = uniqueEmail('password-only');
  await database.use(async (prisma) => prisma.user.create({ data: { email, passwordHash: await hashPassword(PASSWORD) } }));
  const csrf = await request.get(`${ORIGIN}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await request.post(`${ORIGIN}/api/auth/callback/credentials`, {
    form: { email, password: PASSWORD, csrfToken, callbackUrl: '/' },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  expect(res.headers().location).toContain('code=password_sign_in_off');
  expect(res.headersArray().some((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith('authjs.session-token='))).toBe(false);
});

test('the first SSO user is the admin; under approval the next one waits; a second sign-in reuses the account', async ({ browser }) => {
  // The instance's first account (the password-only row above is not signed in, but exists: clear it).
  await database.use((prisma) => prisma.user.deleteMany({}));
  const rootEmail = person('root');
  const root = await newPage(browser);
  await ssoSignIn(root, 'root');
  await expect(composer(root)).toBeVisible();
  expect(await userByEmail(rootEmail)).toMatchObject({ role: 'admin', approved: true, oidcSubject: 'root', passwordHash: null });

  const waiterEmail = person('waiter');
  const waiter = await newPage(browser);
  await ssoSignIn(waiter, 'waiter');
  await waiter.waitForURL((url) => url.pathname === '/pending');
  await expect(waiter.getByText(waiterEmail)).toBeVisible();
  expect((await waiter.request.get('/api/conversations')).status()).toBe(403);
  const row = await userByEmail(waiterEmail);
  expect(row).toMatchObject({ approved: false, role: 'user' });

  // The admin sees the badge, approves; the same person signs in again from another browser: same account.
  await root.goto('/admin/access');
  await root.getByRole('button', { name: `Approve ${waiterEmail}` }).click();
  await expect(root.getByText('Nobody is waiting.')).toBeVisible();
  const again = await newPage(browser);
  await ssoSignIn(again, 'waiter');
  await expect(composer(again)).toBeVisible();
  const count = await database.use((prisma) => prisma.user.count({ where: { email: waiterEmail } }));
  expect(count).toBe(1);
  expect((await userByEmail(waiterEmail))?.id).toBe(row?.id);
});

test('open admits a first SSO user at once; closed and invite refuse with their own message and make no account', async ({ browser }) => {
  await setPolicy('open');
  const openEmail = person('opener');
  const opener = await newPage(browser);
  await ssoSignIn(opener, 'opener');
  await expect(composer(opener)).toBeVisible();
  expect(await userByEmail(openEmail)).toMatchObject({ approved: true, role: 'user' });

  await setPolicy('closed');
  const closedEmail = person('closed-out');
  const closed = await newPage(browser);
  await ssoSignIn(closed, 'closed-out');
  await expect(alert(closed)).toHaveText('Sign-up is closed on this server. Ask an administrator for an account.');
  expect(await userByEmail(closedEmail)).toBeNull();

  await setPolicy('invite');
  const inviteEmail = person('uninvited');
  const uninvited = await newPage(browser);
  await ssoSignIn(uninvited, 'uninvited');
  await expect(alert(uninvited)).toHaveText(
    'This server accepts new accounts only by invitation. Ask an administrator to create your account; then sign in here.',
  );
  expect(await userByEmail(inviteEmail)).toBeNull();
  // …but an existing member still gets in under invite (the policy is for new accounts only).
  const member = await newPage(browser);
  await ssoSignIn(member, 'opener');
  await expect(composer(member)).toBeVisible();
  await setPolicy('open');
});

test('an existing password account is linked only when the issuer verified the email', async ({ browser }) => {
  const verifiedEmail = uniqueEmail('pw-verified');
  const unverifiedEmail = uniqueEmail('pw-unverified');
  const [verified, unverified] = await database.use(async (prisma) => {
    const passwordHash = await hashPassword(PASSWORD);
    return Promise.all([
      prisma.user.create({ data: { email: verifiedEmail, passwordHash } }),
      prisma.user.create({ data: { email: unverifiedEmail, passwordHash } }),
    ]);
  });

  person('unverified', { email: unverifiedEmail, emailVerified: false });
  const refused = await newPage(browser);
  await ssoSignIn(refused, 'unverified');
  await expect(alert(refused)).toContainText('your sign-in provider has not verified that the address is yours');
  expect((await userByEmail(unverifiedEmail))?.oidcSubject).toBeNull();

  person('verified', { email: verifiedEmail, emailVerified: true });
  const linked = await newPage(browser);
  await ssoSignIn(linked, 'verified');
  await expect(composer(linked)).toBeVisible();
  const row = await userByEmail(verifiedEmail);
  expect(row).toMatchObject({ id: verified.id, oidcSubject: 'verified' });
  expect(row?.passwordHash).toBe(verified.passwordHash);
  expect(unverified.id).not.toBe(verified.id);
});

test('the admin-group claim grants admin (audited); a disabled user is refused and their SSO session ends', async ({ browser }) => {
  const bossEmail = person('boss', { groups: ['staff', 'kimi-admins'] });
  const boss = await newPage(browser);
  await ssoSignIn(boss, 'boss');
  await expect(composer(boss)).toBeVisible();
  await boss.goto('/admin/users');
  await expect(boss.getByRole('heading', { name: 'Users', level: 2 })).toBeVisible();
  expect(await userByEmail(bossEmail)).toMatchObject({ role: 'admin' });
  // An existing user who joins the group becomes admin at their next sign-in, with an audit row.
  const memberEmail = person('promoted');
  const first = await newPage(browser);
  await ssoSignIn(first, 'promoted');
  await expect(composer(first)).toBeVisible();
  expect((await userByEmail(memberEmail))?.role).toBe('user');
  person('promoted', { email: memberEmail, groups: ['kimi-admins'] });
  const second = await newPage(browser);
  await ssoSignIn(second, 'promoted');
  await expect(composer(second)).toBeVisible();
  const promoted = await userByEmail(memberEmail);
  expect(promoted?.role).toBe('admin');
  const audit = await database.use((prisma) => prisma.auditEvent.findMany({ where: { target: `user:${promoted?.id}`, kind: 'user.role' } }));
  expect(audit).toHaveLength(1);
  expect(audit[0]?.after).toEqual({ role: 'admin', source: 'oidc_admin_group' });

  // Disabled: the open SSO session ends (the same per-request checks as a password session), a new sign-in is refused.
  await database.use((prisma) => prisma.user.update({ where: { id: promoted?.id }, data: { disabled: true } }));
  await expect.poll(async () => (await second.request.get('/api/conversations')).status(), { timeout: 15_000 }).toBe(401);
  const refused = await newPage(browser);
  await ssoSignIn(refused, 'promoted');
  await expect(alert(refused)).toHaveText('This account has been disabled. Ask an administrator to enable it again.');
});

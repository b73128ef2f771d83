// Who gets in, in two real browsers against a fresh instance of its own (SIGNUP_POLICY=approval from the
// environment, as a new deployment would start): the first account is the admin; the next one lands on
// "waiting for approval" and every API refuses it; the admin sees the badge, approves, finds the change in
// the audit log; the waiting user's next reload is in the chat. Then the admin closes sign-up on the
// access page and a third visitor gets the translated refusal, while an invitation link admits one person once.
// Last, the admin's one-time password-reset link: used in another browser, it sets the password, ends the
// user's other session, and refuses a second use.
import { randomUUID } from 'node:crypto';
import { type Simulator, startSimulator } from '../../sim';
import { createThrowawayDatabase, type ServerProcess, startServer, type ThrowawayDatabase } from '../support/server-process';
import { composer, PASSWORD, uniqueEmail } from './helpers';
import { type Browser, expect, type Page, test } from './test';

const SECRET = `approval-${randomUUID()}`;
const KEY = 'sk-approval';

let sim: Simulator;
let database: ThrowawayDatabase;
let server: ServerProcess;
const ROOT_EMAIL = uniqueEmail('root');
const INVITED_EMAIL = uniqueEmail('invited');

test.describe.configure({ mode: 'serial', timeout: 600_000 });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  sim = await startSimulator({ apiKeys: [KEY], ttftMs: 50, tokensPerSecond: 200 });
  database = await createThrowawayDatabase('pglite');
  server = await startServer({
    database,
    secret: SECRET,
    kimi: { baseURL: sim.url, apiKey: KEY },
    env: { SIGNUP_POLICY: 'approval', RATE_LIMIT_SIGN_UP_PER_HOUR: '1000', RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000' },
    readyTimeoutMs: 400_000,
  });
});

test.afterAll(async () => {
  await server?.stop();
  await sim?.close();
  await database?.cleanup();
});

async function browserPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin, locale: 'en-US' });
  return context.newPage();
}

async function fillSignUp(page: Page, email: string): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
}

test('a new account waits for approval; the admin approves it (audited) and it gets in; closed sign-up refuses', async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await browserPage(browser);
  await fillSignUp(admin, ROOT_EMAIL);
  await expect(composer(admin)).toBeVisible();

  const userEmail = uniqueEmail('newcomer');
  const user = await browserPage(browser);
  await fillSignUp(user, userEmail);
  await user.waitForURL((url) => url.pathname === '/pending');
  await expect(user.getByRole('heading', { name: 'Waiting for approval' })).toBeVisible();
  await expect(user.getByText(userEmail)).toBeVisible();
  // Every page leads back here; every API refuses.
  await user.goto('/usage');
  await user.waitForURL((url) => url.pathname === '/pending');
  const api = await user.request.get('/api/conversations');
  expect(api.status()).toBe(403);
  expect(await api.json()).toEqual({ error: { code: 'account_pending', retryable: false } });

  // The admin: the badge, then Approve on the access page.
  await admin.goto('/admin/users');
  await expect(admin.getByTestId('pending-badge')).toHaveText('1 waiting for approval');
  await admin.getByTestId('pending-badge').click();
  await admin.waitForURL((url) => url.pathname === '/admin/access');
  await admin.getByRole('button', { name: `Approve ${userEmail}` }).click();
  await expect(admin.getByText('Nobody is waiting.')).toBeVisible();
  await expect(admin.getByTestId('pending-badge')).toHaveCount(0);

  await admin.goto('/admin/audit');
  const row = admin.getByRole('row').filter({ hasText: 'user.approved' });
  await expect(row).toContainText(userEmail);

  // The waiting user, still on the waiting page, checks again: in.
  await expect(user).toHaveURL(/\/pending$/);
  await user.getByRole('link', { name: 'Check again' }).click();
  await user.waitForURL((url) => url.pathname === '/');
  await expect(composer(user)).toBeVisible();

  // The admin closes sign-up: a third visitor is refused with the reason, and the change is audited.
  await admin.goto('/admin/access');
  await admin.getByLabel(/^Closed/).check();
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByLabel(/^Closed/)).toBeChecked();
  const third = await browserPage(browser);
  await fillSignUp(third, uniqueEmail('late'));
  await expect(third.locator('p[role="alert"]')).toHaveText('Sign-up is closed on this server. Ask an administrator for an account.');
  await admin.goto('/admin/audit?kind=setting.signupPolicy');
  await expect(admin.getByRole('row').filter({ hasText: 'setting.signupPolicy' })).toContainText('"policy":"closed"');

  // With sign-up closed, an invitation link still admits one person, once.
  await admin.goto('/admin/access');
  await admin.getByLabel('Note (who it is for)').fill('New colleague');
  await admin.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await admin.getByTestId('new-link').inputValue();
  expect(new URL(link).pathname).toBe('/sign-up');
  await expect(admin.getByRole('row').filter({ hasText: 'New colleague' })).toContainText('Open');
  const invited = await browserPage(browser);
  await invited.goto(link);
  await expect(invited.getByText('You were invited: create your account.')).toBeVisible();
  await invited.getByLabel('Email').fill(INVITED_EMAIL);
  await invited.getByLabel('Password').fill(PASSWORD);
  await invited.getByRole('button', { name: 'Sign up', exact: true }).click();
  await invited.waitForURL((url) => url.pathname === '/');
  await expect(composer(invited)).toBeVisible();
  const again = await browserPage(browser);
  await again.goto(link);
  await again.getByLabel('Email').fill(uniqueEmail('again'));
  await again.getByLabel('Password').fill(PASSWORD);
  await again.getByRole('button', { name: 'Sign up', exact: true }).click();
  await expect(again.locator('p[role="alert"]')).toHaveText('This invitation link has already been used. Ask an administrator for a new one.');
});

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test("a password-reset link sets a new password once and ends the user's other sessions", async ({ browser }) => {
  test.setTimeout(240_000);
  // The invited user from the test above, signed in on their old password.
  const old = await browserPage(browser);
  await signIn(old, INVITED_EMAIL, PASSWORD);
  await expect(composer(old)).toBeVisible();

  const admin = await browserPage(browser);
  await signIn(admin, ROOT_EMAIL, PASSWORD);
  await expect(composer(admin)).toBeVisible();
  await admin.goto('/admin/users');
  await admin
    .getByRole('group', { name: `Actions for ${INVITED_EMAIL}` })
    .getByRole('button', { name: 'Password-reset link' })
    .click();
  const link = await admin.getByTestId('new-link').inputValue();
  expect(new URL(link).pathname).toBe('/reset-password');

  const NEW_PASSWORD = 'a-new-password-for-the-reset';
  const reset = await browserPage(browser);
  const path = `${new URL(link).pathname}${new URL(link).search}`;
  await reset.goto(path);
  await expect(reset.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await reset.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await reset.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
  await reset.getByRole('button', { name: 'Set password' }).click();
  await reset.waitForURL((url) => url.pathname === '/');
  await expect(composer(reset)).toBeVisible();

  // The session signed in on the old password has ended, on the server.
  expect((await old.request.get('/api/conversations')).status()).toBe(401);
  await old.reload();
  await old.waitForURL((url) => url.pathname === '/sign-in');
  // The old password no longer works; the new one does.
  await signIn(old, INVITED_EMAIL, PASSWORD);
  await expect(old.locator('p[role="alert"]')).toBeVisible();
  await signIn(old, INVITED_EMAIL, NEW_PASSWORD);
  await expect(composer(old)).toBeVisible();

  // Used once: the same link is refused, and nothing changes.
  const again = await browserPage(browser);
  await again.goto(path);
  await again.getByLabel('New password', { exact: true }).fill('yet-another-password-here');
  await again.getByLabel('Repeat the new password').fill('yet-another-password-here');
  await again.getByRole('button', { name: 'Set password' }).click();
  await expect(again.locator('p[role="alert"]')).toHaveText('This password-reset link has already been used. Ask an administrator for a new one.');

  await admin.goto('/admin/audit?kind=user.passwordResetLink');
  await expect(admin.getByRole('row').filter({ hasText: 'user.passwordResetLink' })).toContainText(INVITED_EMAIL);
});

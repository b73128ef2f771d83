// The account page's password change, with two browsers signed in as one user: the one that changes it
// stays signed in, the other is signed out on its very next request (the e2e server is one process, and
// the change drops its cached user row, so no waiting), and only the new password signs in afterwards.

import { PASSWORD, send, signUp, uniqueEmail, waitForAnswer } from './helpers';
import { expect, type Page, test } from './test';

const NEW_PASSWORD = 'a different horse, battery and staple';
// Arrival is the address changing (as in helpers' signUp), not the load event, which a busy machine can hold
// back for long after a soft navigation; and a bounded wait names the step instead of the whole test timing out.
const AT_COMMIT = { waitUntil: 'commit', timeout: 30_000 } as const;

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

function passwordForm(page: Page) {
  return page.getByRole('region', { name: 'Change password' });
}

async function fillPasswords(page: Page, current: string, next: string, confirm = next): Promise<void> {
  const form = passwordForm(page);
  await form.getByLabel('Current password').fill(current);
  await form.getByLabel('New password', { exact: true }).fill(next);
  await form.getByLabel('Confirm new password').fill(confirm);
  await form.getByRole('button', { name: 'Change password' }).click();
}

// Sign-in attempts per email are limited to 5 a minute here too, and checking the current password counts:
// this test makes exactly 5 (one wrong and one right current password, three sign-ins).
test('changing the password keeps this browser signed in and signs out every other one', async ({ browser }) => {
  const one = await (await browser.newContext()).newPage();
  const email = await signUp(one, uniqueEmail('account'));
  const two = await (await browser.newContext()).newPage();
  await signIn(two, email, PASSWORD);
  await two.waitForURL((url) => url.pathname === '/', AT_COMMIT);
  expect((await two.request.get('/api/conversations')).status()).toBe(200);

  // The account page is one click from the sidebar.
  await one.getByRole('navigation').getByRole('link', { name: 'Account' }).click();
  await one.waitForURL((url) => url.pathname === '/account', AT_COMMIT);
  await expect(one.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await expect(one.getByRole('main').getByText(email)).toBeVisible();

  // Refused attempts say exactly what is wrong and keep what was typed.
  await fillPasswords(one, PASSWORD, NEW_PASSWORD, `${NEW_PASSWORD}!`);
  await expect(passwordForm(one).getByRole('alert')).toHaveText('The new password and its confirmation do not match.');
  await expect(passwordForm(one).getByLabel('Confirm new password')).toHaveAttribute('aria-invalid', 'true');
  await expect(passwordForm(one).getByLabel('Current password')).toHaveValue(PASSWORD);
  await fillPasswords(one, PASSWORD, 'short');
  await expect(passwordForm(one).getByRole('alert')).toHaveText('The new password must be at least 8 characters long.');
  await fillPasswords(one, PASSWORD, PASSWORD);
  await expect(passwordForm(one).getByRole('alert')).toHaveText('The new password must be different from the current one.');
  await fillPasswords(one, 'not my password', NEW_PASSWORD);
  await expect(passwordForm(one).getByRole('alert')).toHaveText('The current password is wrong.');
  expect((await two.request.get('/api/conversations')).status()).toBe(200);

  await fillPasswords(one, PASSWORD, NEW_PASSWORD);
  await expect(passwordForm(one).getByRole('status')).toHaveText('Password changed. You were signed out everywhere else.');
  await expect(passwordForm(one).getByRole('alert')).toHaveCount(0);
  await expect(passwordForm(one).getByLabel('Current password')).toHaveValue('');

  // This browser got a fresh session: still on the page, its API calls and chats work.
  expect(new URL(one.url()).pathname).toBe('/account');
  expect((await one.request.get('/api/conversations')).status()).toBe(200);
  await one.goto('/');
  await send(one, 'Still signed in?');
  await waitForAnswer(one);

  // The other one is signed out at once: its API call is refused, its next navigation lands on sign-in.
  expect((await two.request.get('/api/conversations')).status()).toBe(401);
  await two.getByRole('navigation').getByRole('link', { name: 'Account' }).click();
  await two.waitForURL((url) => url.pathname === '/sign-in', AT_COMMIT);
  await expect(two.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();

  // Only the new password signs in.
  await signIn(two, email, PASSWORD);
  await expect(two.locator('form [role="alert"]')).toHaveText('Wrong email or password.');
  expect(new URL(two.url()).pathname).toBe('/sign-in');
  await signIn(two, email, NEW_PASSWORD);
  await two.waitForURL((url) => url.pathname === '/', AT_COMMIT);
  expect((await two.request.get('/api/conversations')).status()).toBe(200);
});

test('the account page speaks Chinese too', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await signUp(page, uniqueEmail('account-zh'), 'zh');
  await page.goto('/account');
  const form = page.getByRole('region', { name: '修改密码' });
  await form.getByLabel('当前密码').fill('不是这个密码');
  await form.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
  await form.getByLabel('确认新密码').fill(NEW_PASSWORD);
  await form.getByRole('button', { name: '修改密码' }).click();
  await expect(form.getByRole('alert')).toHaveText('当前密码不正确。');
});

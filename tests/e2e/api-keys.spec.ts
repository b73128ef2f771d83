// Personal API keys in a real browser (issue 16): a user makes a key on the account page (shown once), a script
// uses it against /api/v1 (the key's last use then shows), an admin switches the user's API access off and
// on and revokes a key on /admin/api, and the user revokes their own key: each refusal is Kimi's error shape.
// Runs after admin.spec (name order): the admin account exists.

import { ADMIN_EMAIL, newSignedInPage, signUp } from './helpers';
import { expect, type Page, test } from './test';

/** One non-streamed chat call through the gateway with a personal key, as a script would make it. */
async function callGateway(origin: string, key: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${origin}/api/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'kimi-k2.6', messages: [{ role: 'user', content: 'Say hello in 5 tokens' }], thinking: { type: 'disabled' } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function createKey(page: Page, name: string): Promise<string> {
  await page.getByTestId('api-key-name').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByText(`Your new key "${name}"`)).toBeVisible();
  const secret = (await page.getByTestId('api-key-secret').textContent()) ?? '';
  expect(secret).toMatch(/^kc-[A-Za-z0-9_-]{20,}$/);
  return secret;
}

const keyRow = (page: Page, name: string) => page.getByTestId('api-key-row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

test('a key made on the account page works once, shows its last use, and stops when revoked or switched off', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  const origin = new URL(page.url()).origin;
  const email = (await page.locator('nav p[title*="@"]').getAttribute('title'))!;
  await page.goto('/account');
  await expect(page.getByText(`OPENAI_BASE_URL=${origin}/api/v1`)).toBeVisible();

  const laptop = await createKey(page, 'laptop editor');
  await expect(keyRow(page, 'laptop editor')).toContainText(`${laptop.slice(0, 8)}`);
  await expect(keyRow(page, 'laptop editor')).toContainText('Never used');
  // Shown once: after a reload only the prefix is on the page.
  await page.reload();
  await expect(page.getByTestId('api-key-secret')).toHaveCount(0);
  expect(await page.content()).not.toContain(laptop);

  const answered = await callGateway(origin, laptop);
  expect(answered.status).toBe(200);
  expect(answered.body).toMatchObject({ object: 'chat.completion', model: 'kimi-k2.6' });
  expect((answered.body.usage as { total_tokens: number }).total_tokens).toBeGreaterThan(0);
  await page.reload();
  await expect(keyRow(page, 'laptop editor')).not.toContainText('Never used');
  await expect(keyRow(page, 'laptop editor')).toContainText('Active');

  // The admin switches this user's API access off: the key is refused, the user is told; back on, it works.
  const admin = await browser.newPage();
  await signUp(admin, ADMIN_EMAIL); // taken: signs its owner in
  await admin.goto('/admin/api');
  const accessSwitch = admin.getByRole('button', { name: `API access: ${email}` });
  const accessRow = admin.getByRole('row').filter({ has: accessSwitch });
  await expect(accessRow).toContainText('On');
  await accessSwitch.click();
  await expect(accessRow).toContainText('Off');
  const off = await callGateway(origin, laptop);
  expect(off.status).toBe(403);
  expect(off.body).toMatchObject({ error: { type: expect.any(String), message: expect.any(String) } });
  await page.reload();
  await expect(page.getByText('An administrator has switched API access off for your account.')).toBeVisible();
  await accessSwitch.click();
  await expect(accessRow).toContainText('On');
  expect((await callGateway(origin, laptop)).status).toBe(200);

  // The admin revokes a second key from the list of every key.
  const ci = await createKey(page, 'ci runner');
  await admin.reload();
  await admin.getByRole('button', { name: 'Revoke: ci runner' }).click();
  expect((await callGateway(origin, ci)).status).toBe(401);
  await admin.close();

  // The user revokes their own key (after confirming): it is refused at once, and listed as revoked.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await keyRow(page, 'laptop editor').getByRole('button', { name: 'Revoke' }).click();
  await expect(keyRow(page, 'laptop editor')).toContainText('Revoked');
  const revoked = await callGateway(origin, laptop);
  expect(revoked.status).toBe(401);
  expect(revoked.body).toMatchObject({ error: { type: 'invalid_authentication_error' } });
  await expect(keyRow(page, 'ci runner')).toContainText('Revoked');
  await page.context().close();
});

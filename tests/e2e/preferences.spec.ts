// The account page's defaults in the browser: the theme is on <html> in the server's first bytes (no flash
// of the device's theme on reload), stays after sign-out on the sign-in page, and the custom instructions
// and default model are what the next new chat uses.

import { composer, conversationId, modelPicker, newSignedInPage, SIM_ORIGIN, send, waitForAnswer } from './helpers';
import { expect, type Page, test } from './test';

/** The <html> opening tag exactly as the server sent it (what the first paint uses, before any script). */
async function htmlTagOnReload(page: Page): Promise<string> {
  const response = await page.reload();
  return /<html[^>]*>/.exec((await response?.text()) ?? '')?.[0] ?? '';
}

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const DARK_BG = 'rgb(20, 20, 22)';
const LIGHT_BG = 'rgb(255, 255, 255)';

test('theme: chosen on the account page, server-rendered on every load, kept on the sign-in page', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  // The device says light: only the stored choice can make the page dark.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/account');
  expect(await htmlTagOnReload(page)).not.toMatch(/class="[^"]*dark/);
  expect(await background(page)).toBe(LIGHT_BG);

  await page.getByRole('radio', { name: 'Dark' }).check();
  await page.getByRole('button', { name: 'Save defaults' }).click();
  await expect(page.getByText('Defaults saved.')).toBeVisible();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);

  expect(await htmlTagOnReload(page)).toMatch(/class="dark"/);
  expect(await background(page)).toBe(DARK_BG);
  await page.goto('/');
  expect(await htmlTagOnReload(page)).toMatch(/class="dark"/);

  // Signed out, the sign-in page still paints dark (the cookie the save set).
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/sign-in/);
  expect(await htmlTagOnReload(page)).toMatch(/class="dark"/);
  expect(await background(page)).toBe(DARK_BG);
});

test('theme "match the device" follows the device', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page.goto('/account');
  await page.getByRole('radio', { name: 'Light' }).check();
  await page.getByRole('button', { name: 'Save defaults' }).click();
  await expect(page.getByText('Defaults saved.')).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await htmlTagOnReload(page)).toMatch(/class="light"/);
  expect(await background(page)).toBe(LIGHT_BG);

  await page.getByRole('radio', { name: 'Match the device' }).check();
  await page.getByRole('button', { name: 'Save defaults' }).click();
  await expect(page.getByText('Defaults saved.')).toBeVisible();
  expect(await htmlTagOnReload(page)).not.toMatch(/class=/);
  expect(await background(page)).toBe(DARK_BG);
});

test('custom instructions and the default model shape the next new chat', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page.goto('/account');
  const instructions = page.getByLabel('Custom instructions');
  await instructions.fill('Always answer in exactly three sentences.');
  await expect(page.getByTestId('instructions-count')).toHaveText('41 / 4,000');
  await page.getByLabel('Default model for new chats').selectOption('kimi-k3');
  await page.getByRole('button', { name: 'Save defaults' }).click();
  await expect(page.getByText('Defaults saved.')).toBeVisible();
  // Kept after a reload.
  await page.reload();
  await expect(instructions).toHaveValue('Always answer in exactly three sentences.');
  await expect(page.getByLabel('Default model for new chats')).toHaveValue('kimi-k3');

  await page.goto('/');
  await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', 'kimi-k3');
  await expect(modelPicker(page)).toBeVisible();
  await send(page, 'Which sea is the saltiest?');
  await conversationId(page);
  await waitForAnswer(page);
  const log = (await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as Array<{
    stream: boolean;
    model?: string;
    messages?: Array<{ role: string; content: string }>;
  }>;
  const question = log.findLast((r) => r.stream && r.messages?.at(-1)?.content === 'Which sea is the saltiest?');
  expect(question?.model).toBe('kimi-k3');
  expect(question?.messages?.[0]).toEqual({ role: 'system', content: 'Always answer in exactly three sentences.' });
  await expect(composer(page)).toBeVisible();
});

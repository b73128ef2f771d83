import { type Browser, expect, type Page } from '@playwright/test';

export const SIM_ORIGIN = process.env.E2E_SIM_ORIGIN ?? 'http://127.0.0.1:3211';

let counter = 0;
export function uniqueEmail(name: string): string {
  counter += 1;
  return `${name}-${Date.now()}-${counter}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';

/** The instance's first account, made by admin.spec (which runs first): later specs sign in as it to act as the admin. */
export const ADMIN_EMAIL = 'admin@e2e.example.com';

/** The sign-up form's names per interface language. */
const SIGN_UP_NAMES = {
  en: { email: 'Email', password: 'Password', submit: 'Sign up' },
  zh: { email: '邮箱', password: '密码', submit: '注册' },
};

export async function signUp(page: Page, email = uniqueEmail('user'), language: keyof typeof SIGN_UP_NAMES = 'en'): Promise<string> {
  const names = SIGN_UP_NAMES[language];
  await page.goto('/sign-up');
  await page.getByLabel(names.email).fill(email);
  await page.getByLabel(names.password).fill(PASSWORD);
  await page.getByRole('button', { name: names.submit, exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/', { waitUntil: 'commit' });
  return email;
}

export async function newSignedInPage(browser: Browser, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  await signUp(page, uniqueEmail('user'), locale.startsWith('zh') ? 'zh' : 'en');
  return page;
}

export function composer(page: Page) {
  return page.getByRole('textbox', { name: 'Message' });
}

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The conversation id once the first message moved the URL to /c/{id}. */
export async function conversationId(page: Page): Promise<string> {
  await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

export function thread(page: Page) {
  return page.getByRole('log');
}

/** The model picker's button (its accessible name is "Model" — zh "模型" — followed by the chosen model). */
export function modelPicker(page: Page, label = 'Model') {
  return page.getByRole('button', { name: new RegExp(`^${label}(\\s|$)`) });
}

/** Opens the model picker and chooses `id` (a served model id, or `auto`). */
export async function pickModel(page: Page, id: string): Promise<void> {
  await modelPicker(page).click();
  await page.getByRole('listbox', { name: 'Model' }).locator(`[role="option"][data-model="${id}"]`).click();
  await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', id);
}

/** Waits until the answer is done: the Regenerate button is back. */
export async function waitForAnswer(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Regenerate' })).toBeVisible({ timeout: 30_000 });
}

export async function queueSimFault(fault: string, count = 1, model?: string): Promise<void> {
  const res = await fetch(`${SIM_ORIGIN}/sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault, count, ...(model ? { model } : {}) }),
  });
  expect(res.ok).toBe(true);
}

interface StoredMessage {
  role: string;
  parts: Array<{ type: string; text?: string }>;
  metadata?: { status?: string };
}

export async function storedConversation(page: Page, id: string) {
  const res = await page.request.get(`/api/conversations/${id}`);
  return { status: res.status(), body: res.ok() ? ((await res.json()) as { title: string; messages: StoredMessage[]; streaming: boolean }) : null };
}

export function textOf(message: StoredMessage | undefined): string {
  return (message?.parts ?? [])
    .filter((p) => p.type === 'text')
    .map((p) => p.text ?? '')
    .join('');
}

/** Holds the page's requests matching `pattern` until the returned function is called. */
export async function holdRequests(page: Page, pattern: string | ((url: URL) => boolean)): Promise<() => Promise<void>> {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(pattern, async (route) => {
    await held;
    await route.continue();
  });
  // Released requests go on at once (no unroute: it would race the held ones it releases).
  return async () => release();
}

/** A Next.js script: the CSS under the same folder loads (React reveals streamed content only with it). */
const nextScript = (url: URL) => url.pathname.startsWith('/_next/static/chunks/') && url.pathname.endsWith('.js');

/** Holds the page's scripts, so what the server rendered is used before it hydrates (as on a slow device). */
export const holdScripts = (page: Page) => holdRequests(page, nextScript);

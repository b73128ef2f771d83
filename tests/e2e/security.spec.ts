// Security in the browser: the nonce CSP and static headers, session cookie flags, CSRF refusals (API and
// server actions), the sign-in lockout, and hostile model output — the simulator quotes the user's message
// back, so each payload below arrives as the model's answer.

import {
  composer,
  conversationId,
  newSignedInPage,
  PASSWORD,
  SIM_ORIGIN,
  send,
  signUp,
  storedConversation,
  thread,
  uniqueEmail,
  waitForAnswer,
} from './helpers';
import { expect, type Page, test } from './test';

const PWN = 'window.__pwned=1';
const PAYLOADS = [
  `<script>${PWN}</script>`,
  `<img src=x onerror="${PWN}">`,
  `[click](javascript:${PWN})`,
  '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)',
  `<svg onload="${PWN}">`,
  `<iframe src="javascript:${PWN}">`,
  `<a href="#" style="position:fixed;inset:0" onclick="${PWN}">cover</a>`,
  '<style>body{display:none}</style>',
  `![pic](javascript:${PWN})`,
  `<javascript:${PWN}>`,
  `[enc](&#106;avascript:${PWN}) [tab](java&#x09;script:${PWN}) [CAPS](JAVASCRIPT:${PWN})`,
  `<a href="&#106;avascript:${PWN}">entity</a> <math><mtext><table><mglyph><style><img src=x onerror="${PWN}">`,
  // A legitimate link, so the href checks below are not vacuous.
  '[safe](https://example.com/ok)',
];

/**
 * Records CSP violations from the first script on, before the app's own code. zod 4 probes for `new Function`
 * support (caught, then it falls back): that blocked eval is the policy working, not an attack.
 */
async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      if (e.blockedURI !== 'eval') w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

async function expectUnharmed(page: Page): Promise<void> {
  const state = await page.evaluate(() => {
    const log = document.querySelector('[role="log"]') ?? document.body;
    const all = [...log.querySelectorAll('*')];
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      violations: (window as unknown as { __violations: string[] }).__violations,
      dangerous: all.filter((el) => ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'MATH'].includes(el.tagName)).map((el) => el.tagName),
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
      styled: all.filter((el) => el.getAttribute('style')?.includes('position:fixed')).length,
      hrefs: [...log.querySelectorAll('a[href], [src]')].map((el) => (el as HTMLAnchorElement).href || (el as HTMLImageElement).src),
      bodyShown: getComputedStyle(document.body).display !== 'none',
    };
  });
  expect(state.pwned).toBeUndefined();
  expect(state.violations).toEqual([]);
  expect(state.dangerous).toEqual([]);
  expect(state.handlers).toEqual([]);
  expect(state.styled).toBe(0);
  expect(state.bodyShown).toBe(true);
  for (const href of state.hrefs) expect(['http:', 'https:', 'mailto:']).toContain(new URL(href).protocol);
}

test('pages carry a per-request nonce CSP that Next stamps on its scripts, plus the static headers', async ({ page, request }) => {
  await watchViolations(page);
  const res = await page.goto('/sign-in');
  const headers = res!.headers();
  const csp = headers['content-security-policy']!;
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  for (const d of ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"])
    expect(csp).toContain(d);
  const html = await res!.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // A fresh nonce per request.
  const again = (await request.get('/sign-in')).headers()['content-security-policy'];
  expect(again).not.toBe(csp);

  for (const h of [headers, (await request.get('/api/health')).headers()]) {
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(h['permissions-policy']).toContain('camera=()');
  }
  expect((await request.get('/api/health')).headers()['content-security-policy']).toContain("default-src 'none'");

  // The app still works under the policy: the form is interactive, and nothing was blocked.
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('x');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.locator('form [role="alert"]')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
});

test('the session cookie is HttpOnly and SameSite=Lax', async ({ page }) => {
  await signUp(page);
  const session = (await page.context().cookies()).find((c) => c.name.endsWith('authjs.session-token'));
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
});

test('cross-origin writes are refused: API routes with 403, server actions by Next', async ({ browser, baseURL }) => {
  const page = await newSignedInPage(browser);
  const own = new URL(baseURL!).origin;
  const missing = `/api/conversations/${crypto.randomUUID()}`;
  expect((await page.request.delete(missing, { headers: { origin: own } })).status()).toBe(404);
  const refused = await page.request.delete(missing, { headers: { origin: 'http://evil.example' } });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });
  expect((await page.request.patch(missing, { headers: { 'sec-fetch-site': 'cross-site' }, data: { title: 'x' } })).status()).toBe(403);

  // A real browser on another origin (the simulator's port: same site, so the Lax cookie is sent) posts a
  // "simple" cross-origin request that needs no preflight. It must not start a chat.
  const id = crypto.randomUUID();
  await page.goto(`${SIM_ORIGIN}/v1/models`);
  await page.evaluate(
    async ({ target, id }) => {
      const body = JSON.stringify({
        id,
        trigger: 'submit-message',
        message: { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'forged' }] },
        settings: { model: 'auto', systemPrompt: '', temperature: null },
      });
      await fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body }).catch(
        () => undefined,
      );
    },
    { target: `${own}/api/chat`, id },
  );
  expect((await storedConversation(page, id)).status).toBe(404);

  // Server actions: replay a real sign-in action request, once as is and once from another origin.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/sign-in');
  await visitor.getByLabel('Email').fill(uniqueEmail('csrf'));
  await visitor.getByLabel('Password').fill('wrong password here');
  const [action] = await Promise.all([
    visitor.waitForRequest((r) => r.method() === 'POST' && r.headers()['next-action'] !== undefined),
    visitor.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
  const replay = (origin: string) => visitor.request.post(action.url(), { headers: { ...action.headers(), origin }, data: action.postDataBuffer()! });
  const same = await replay(own);
  expect(same.status()).toBe(200);
  expect(await same.text()).toContain('invalid_credentials');
  const forged = await replay('http://evil.example');
  expect(forged.status()).toBeGreaterThanOrEqual(400);
  expect(await forged.text()).not.toContain('invalid_credentials');
});

test('repeated failed sign-ins for one email are locked out with a translated wait', async ({ page }) => {
  const email = uniqueEmail('lockout');
  const formAlert = page.locator('form [role="alert"]');
  await page.goto('/sign-in');
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(`wrong ${i}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(formAlert).toHaveText('Wrong email or password.');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  }
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(formAlert).toHaveText(/^Too many attempts\. Try again in \d+ s\.$/);
});

test('hostile model output, titles and system prompts render inert', async ({ browser }) => {
  const context = await browser.newContext();
  await context.route(/example\.com/, (route) => route.abort());
  const page = await context.newPage();
  await watchViolations(page);
  await signUp(page);
  for (const payload of PAYLOADS) {
    await send(page, payload);
    await waitForAnswer(page);
    await expect(composer(page)).toHaveValue('');
  }
  const id = await conversationId(page);
  const stored = await storedConversation(page, id);
  expect(
    stored.body?.messages
      .at(-1)
      ?.parts.map((p) => p.text ?? '')
      .join(''),
  ).toContain('example.com/ok');
  await expect(thread(page).getByRole('link', { name: 'safe' }).first()).toHaveAttribute('href', 'https://example.com/ok');
  await expectUnharmed(page);

  // Click every link in the thread: none may run code (safe ones open a new tab, which we close).
  context.on('page', (popup) => void popup.close());
  const links = thread(page).locator('a');
  for (let i = 0; i < (await links.count()); i++) await links.nth(i).click({ force: true });
  await expectUnharmed(page);

  // The same payloads as the title and the system prompt, rendered after a reload.
  const hostile = `<img src=x onerror="${PWN}"><script>${PWN}</script>[t](javascript:${PWN})`;
  const patch = await page.request.patch(`/api/conversations/${id}`, {
    data: { title: hostile, settings: { model: 'auto', systemPrompt: hostile, temperature: null } },
  });
  expect(patch.ok()).toBe(true);
  await page.reload();
  await expect(page.getByRole('navigation').getByRole('link', { name: hostile })).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('textbox', { name: 'System prompt' })).toHaveValue(hostile);
  await page.keyboard.press('Escape');
  await expectUnharmed(page);
  expect(await page.evaluate(() => document.querySelectorAll('img[onerror], [onload], [onclick], iframe').length)).toBe(0);
});

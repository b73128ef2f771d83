// Named axe.spec (not a11y.spec): admin.spec must run first and specs run in name order ("a11y" < "admin" < "axe").
// Accessibility: axe-core (WCAG 2.1 A/AA rules) on every kind of page — signed out, the chat with an answer,
// a branch and a document, a shared page, the account page, and each admin page. No serious or critical
// violation may remain.
// To cover another page, add an entry to one of the tables below (PAGES_SIGNED_OUT, PAGES_USER, PAGES_ADMIN):
// a name and how to get there; expectAccessible does the rest. Needs admin.spec's admin: run the two together.
import AxeBuilder from '@axe-core/playwright';
import { ADMIN_EMAIL, conversationId, newSignedInPage, send, signUp, waitForAnswer } from './helpers';
import { type Browser, expect, type Page, test } from './test';

/** Runs axe on the page as it is now; fails listing each serious or critical rule with where it fails. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(' | ')}`,
    );
  expect(blocking, `${name}: axe violations`).toEqual([]);
}

interface PageCase {
  name: string;
  /** Brings the page to the state to check (it is signed in or out as its table says). */
  open: (page: Page) => Promise<void>;
}

const PAGES_SIGNED_OUT: PageCase[] = [
  { name: 'sign-in', open: (page) => page.goto('/sign-in').then(() => undefined) },
  { name: 'sign-up', open: (page) => page.goto('/sign-up').then(() => undefined) },
];

const PAGES_USER: PageCase[] = [
  {
    name: 'chat with an answer, a branch and a document',
    open: async (page) => {
      await send(page, 'Tell me about lighthouses, briefly.');
      await conversationId(page);
      await waitForAnswer(page);
      // A regenerated answer: the ‹ 2 / 2 › switch is on the page.
      await page.getByRole('button', { name: 'Regenerate' }).click();
      await expect(page.getByTestId('branch-switch')).toContainText('2 / 2');
      await waitForAnswer(page);
      await page
        .getByTestId('attach-input')
        .setInputFiles({ name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\n\nThe keeper is Oswin.\n') });
      await expect(page.getByTestId('document-chip')).toContainText(/\d+ tokens/);
    },
  },
  {
    name: 'shared page, opened signed out',
    open: async (page) => {
      await send(page, 'A question worth sharing, with `code` and **bold**.');
      const id = await conversationId(page);
      await waitForAnswer(page);
      const res = await page.request.post(`/api/conversations/${id}/share`, { data: { visibility: 'link' } });
      expect(res.status()).toBe(201);
      const { id: shareId } = (await res.json()) as { id: string };
      await page.context().clearCookies();
      await page.goto(`/s/${shareId}`);
      await expect(page.getByTestId('shared-thread')).toContainText('A question worth sharing');
    },
  },
  { name: 'new chat', open: (page) => page.goto('/').then(() => undefined) },
  { name: 'account', open: (page) => page.goto('/account').then(() => undefined) },
  { name: 'usage', open: (page) => page.goto('/usage').then(() => undefined) },
  {
    name: 'shortcuts dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    },
  },
];

const PAGES_ADMIN: PageCase[] = [
  ...['/admin/usage', '/admin/users', '/admin/prices', '/admin/access', '/admin/audit'].map((path) => ({
    name: path,
    open: (page: Page) => page.goto(path).then(() => undefined),
  })),
  {
    name: '/admin/usage/users/[id]',
    open: async (page) => {
      await page.goto('/admin/usage');
      await page.locator('a[href^="/admin/usage/users/"]').first().click();
      await page.waitForURL(/\/admin\/usage\/users\//);
    },
  },
];

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ locale: 'en-US' })).newPage();
}

for (const c of PAGES_SIGNED_OUT) {
  test(`axe: ${c.name}`, async ({ browser }) => {
    const page = await freshPage(browser);
    await c.open(page);
    await expectAccessible(page, c.name);
  });
}

for (const c of PAGES_USER) {
  test(`axe: ${c.name}`, async ({ browser }) => {
    const page = await newSignedInPage(browser);
    await c.open(page);
    await expectAccessible(page, c.name);
  });
}

test.describe('admin pages', () => {
  // One sign-in for every admin page: the per-email sign-in limit (5 a minute) stays at its default here.
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await freshPage(browser);
    await signUp(page, ADMIN_EMAIL); // taken: signs its owner in
  });
  test.afterAll(() => page?.context().close());

  for (const c of PAGES_ADMIN) {
    test(`axe (admin): ${c.name}`, async () => {
      await c.open(page);
      await expectAccessible(page, c.name);
    });
  }
});

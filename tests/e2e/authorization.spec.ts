// Pages with ids, through the real server and browser: user B opening user A's conversation URL (and the
// admin drill-down of A's account) gets the not-found page, and nothing of A's — title, messages, document
// name, email — is anywhere in the HTML the server sent (RSC payload included) or in the page after
// hydration. The route handlers and server actions are swept in tests/integration/authorization.test.ts.

import { conversationId, newSignedInPage, send, signUp, uniqueEmail, waitForAnswer } from './helpers';
import { expect, type Page, test } from './test';

/** What the server sent for `path` as this user, and what the browser shows once it has rendered it. */
async function visit(page: Page, path: string) {
  const raw = await page.request.get(path);
  const response = await page.goto(path);
  return { status: raw.status(), html: await raw.text(), navigated: response?.status(), rendered: await page.content() };
}

test("another user gets the not-found page for A's conversation and A's admin drill-down, with nothing of A's in the HTML", async ({ browser }) => {
  // A: a real chat turn, a private title, an attached document — everything carries the marker.
  const marker = `ZQX${Date.now()}`;
  const aliceContext = await browser.newContext({ locale: 'en-US' });
  const alice = await aliceContext.newPage();
  const aliceEmail = await signUp(alice, uniqueEmail(`alice-${marker.toLowerCase()}`));
  await send(alice, `${marker} is the code of my vault`);
  await waitForAnswer(alice);
  const id = await conversationId(alice);
  expect((await alice.request.patch(`/api/conversations/${id}`, { data: { title: `${marker} private title` } })).status()).toBe(204);
  const upload = await alice.request.post(`/api/documents?conversationId=${id}`, {
    headers: { 'x-file-name': `${marker}-plan.txt`, 'content-type': 'application/octet-stream' },
    data: Buffer.from(`The ${marker} plan, in writing.\n`),
  });
  expect(upload.status()).toBe(201);
  const aliceId = ((await (await alice.request.get('/api/auth/session')).json()) as { user: { id: string } }).user.id;
  // The owner does see it (so the absence below means something).
  const own = await visit(alice, `/c/${id}`);
  expect(own.rendered).toContain(`${marker} is the code of my vault`);

  const secrets = [marker, aliceEmail];
  const bob = await newSignedInPage(browser);
  // A conversation id nobody ever used: what "not yours" must be indistinguishable from. (The chat pages
  // stream behind app/(chat)/loading.tsx, so not-found arrives in a 200 response; the same for both.)
  const never = await visit(bob, `/c/${crypto.randomUUID()}`);
  await expect(bob.getByRole('heading', { level: 1, name: 'Chat not found' })).toBeVisible();
  for (const path of [`/c/${id}`, `/c/${id.toUpperCase()}`, `/c/${aliceId}`]) {
    const seen = await visit(bob, path);
    expect({ path, status: seen.status, navigated: seen.navigated }).toEqual({ path, status: never.status, navigated: never.navigated });
    await expect(bob.getByRole('heading', { level: 1, name: 'Chat not found' }), path).toBeVisible();
    for (const secret of secrets) {
      expect(seen.html.includes(secret), `${path}: the server's HTML carries ${secret}`).toBe(false);
      expect(seen.rendered.includes(secret), `${path}: the rendered page carries ${secret}`).toBe(false);
    }
    // The thread is not there to type into A's conversation either.
    await expect(bob.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  }

  // The admin drill-down of A's account: a 404 for a normal user, the email nowhere.
  for (const path of [`/admin/usage/users/${aliceId}`, `/admin/usage/users/${aliceId.toUpperCase()}`]) {
    const seen = await visit(bob, path);
    expect({ path, status: seen.status, navigated: seen.navigated }).toEqual({ path, status: 404, navigated: 404 });
    for (const secret of secrets) {
      expect(seen.html.includes(secret), `${path}: the server's HTML carries ${secret}`).toBe(false);
      expect(seen.rendered.includes(secret), `${path}: the rendered page carries ${secret}`).toBe(false);
    }
  }

  // Signed out: the sign-in page, nothing of A's.
  const anonymous = await (await browser.newContext({ locale: 'en-US' })).newPage();
  for (const path of [`/c/${id}`, `/admin/usage/users/${aliceId}`]) {
    const seen = await visit(anonymous, path);
    expect(new URL(anonymous.url()).pathname).toBe('/sign-in');
    for (const secret of secrets)
      expect(seen.html.includes(secret) || seen.rendered.includes(secret), `${path} signed out: carries ${secret}`).toBe(false);
  }

  // A's conversation is untouched by all that.
  const after = (await (await alice.request.get(`/api/conversations/${id}`)).json()) as { title: string; messages: unknown[] };
  expect(after.title).toBe(`${marker} private title`);
  expect(after.messages).toHaveLength(2);
  await aliceContext.close();
});

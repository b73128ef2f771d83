// Find, keep, share (issue 12) in Chromium against the built app: message search (Chinese too) opens the
// message; pin, archive and restore; copy an answer; export Markdown and JSON and import the JSON back; share
// links opened signed out in a second browser context, visibility, and revocation (then 404).
import { readFileSync } from 'node:fs';
import { conversationId, newSignedInPage, send, storedConversation, textOf, thread, waitForAnswer } from './helpers';
import { expect, type Page, test } from './test';

async function chat(page: Page, text: string): Promise<string> {
  await page.goto('/');
  await send(page, text);
  const id = await conversationId(page);
  await waitForAnswer(page);
  return id;
}

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Chats' });
const rowLink = (page: Page, id: string) => sidebar(page).locator(`a[href="/c/${id}"]`);

async function menu(page: Page, id: string, item: string): Promise<void> {
  const row = sidebar(page).locator('li', { has: page.locator(`a[href="/c/${id}"]`) });
  await row.hover();
  await row.getByRole('button', { name: /^Options for/ }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

test('search finds message text in Chinese and English, shows the snippet and opens the message', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  const first = await chat(page, '我想去杭州看西湖, and then visit the Lingyin temple');
  await chat(page, 'An unrelated question about sourdough starters');

  await page.getByRole('button', { name: 'Search messages' }).click();
  const dialog = page.getByRole('dialog', { name: 'Search messages' });
  await dialog.getByRole('searchbox', { name: 'Words to find in your messages' }).fill('西湖');
  const hits = dialog.getByTestId('search-hit');
  await expect(hits.first()).toBeVisible();
  // The user's message and the simulator's answer (which quotes the question) both match; nothing from the other chat.
  for (const hit of await hits.all()) {
    await expect(hit).toHaveAttribute('href', new RegExp(`^/c/${first}#message-`));
    await expect(hit.locator('mark')).toHaveText(['西湖']);
  }
  const userHit = hits.filter({ hasText: 'You ·' });
  await expect(userHit).toContainText('我想去杭州看西湖');
  const href = (await userHit.getAttribute('href'))!;
  await userHit.click();
  await expect(page).toHaveURL(new RegExp(`/c/${first}#message-`));
  const target = page.locator(`[id="m-${decodeURIComponent(href.split('#message-')[1]!)}"]`);
  await expect(target).toContainText('我想去杭州看西湖');
  await expect(target).toHaveAttribute('data-highlighted', 'true');
  await expect(target).toBeInViewport();

  // A hit in the chat already open (the answer this time) is scrolled to and marked as well.
  await expect(target).not.toHaveAttribute('data-highlighted', 'true');
  await page.getByRole('button', { name: 'Search messages' }).click();
  await dialog.getByRole('searchbox', { name: 'Words to find in your messages' }).fill('Lingyin');
  const answerHit = dialog.getByTestId('search-hit').filter({ hasText: 'Kimi ·' });
  const answerHref = (await answerHit.getAttribute('href'))!;
  await answerHit.click();
  const answer = page.locator(`[id="m-${decodeURIComponent(answerHref.split('#message-')[1]!)}"]`);
  await expect(answer).toHaveAttribute('data-highlighted', 'true');
  await expect(answer).toBeInViewport();

  // English, by word prefix; a word nobody wrote finds nothing.
  await page.getByRole('button', { name: 'Search messages' }).click();
  const box = dialog.getByRole('searchbox', { name: 'Words to find in your messages' });
  await box.fill('sourdo');
  await expect(dialog.getByTestId('search-hit').first().locator('mark')).toHaveText('sourdo');
  await box.fill('zebrafishology');
  await expect(dialog.getByText('No message contains “zebrafishology”.')).toBeVisible();
  await page.context().close();
});

test('pin puts a chat on top, archive hides it in the Archived view, restore brings it back; chats are grouped by date', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  const older = await chat(page, 'first chat to pin');
  const newer = await chat(page, 'second chat to archive');
  await expect(sidebar(page).getByRole('region', { name: 'Today' })).toBeVisible();

  await menu(page, older, 'Pin');
  const pinned = sidebar(page).getByRole('region', { name: 'Pinned' });
  await expect(pinned.locator(`a[href="/c/${older}"]`)).toBeVisible();
  await page.reload();
  await expect(sidebar(page).getByRole('region', { name: 'Pinned' }).locator(`a[href="/c/${older}"]`)).toBeVisible();

  await menu(page, newer, 'Archive');
  await expect(rowLink(page, newer)).toHaveCount(0);
  await page.reload();
  await expect(rowLink(page, newer)).toHaveCount(0);
  await sidebar(page).getByRole('button', { name: 'Archived' }).click();
  const archived = sidebar(page).getByRole('region', { name: 'Archived chats' });
  await expect(archived.locator(`a[href="/c/${newer}"]`)).toBeVisible();
  await archived.getByRole('button', { name: /^Restore:/ }).click();
  await expect(archived.getByText('No archived chats.')).toBeVisible();
  await sidebar(page).getByRole('button', { name: 'Back to chats' }).click();
  await expect(sidebar(page).getByRole('region', { name: 'Today' }).locator(`a[href="/c/${newer}"]`)).toBeVisible();

  await menu(page, older, 'Unpin');
  await expect(sidebar(page).getByRole('region', { name: 'Pinned' })).toHaveCount(0);
  await page.context().close();
});

test('copy an answer as Markdown, export Markdown and JSON, and import the JSON as a new chat', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const id = await chat(page, 'Explain tea ceremonies with a list');
  const answer = textOf((await storedConversation(page, id)).body?.messages[1]);

  await page.getByRole('button', { name: 'Copy this answer as Markdown' }).click();
  await expect(page.getByRole('button', { name: 'Copy this answer as Markdown' })).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(answer);

  const [markdown] = await Promise.all([page.waitForEvent('download'), menu(page, id, 'Export as Markdown')]);
  const md = readFileSync((await markdown.path())!, 'utf8');
  expect(md).toContain('## You\n\nExplain tea ceremonies with a list');
  expect(md).toContain(answer.trim());

  const [json] = await Promise.all([page.waitForEvent('download'), menu(page, id, 'Export as JSON')]);
  expect(json.suggestedFilename()).toMatch(/\.json$/);
  const file = JSON.parse(readFileSync((await json.path())!, 'utf8')) as {
    format: string;
    version: number;
    messages: Array<{ parentId: string | null }>;
  };
  expect(file).toMatchObject({ format: 'kimi-chat.conversation', version: 1 });
  expect(file.messages).toHaveLength(2);

  await sidebar(page)
    .getByLabel('Import a conversation exported as JSON')
    .setInputFiles((await json.path())!);
  await page.waitForURL((url) => /^\/c\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(id));
  await expect(thread(page)).toContainText('Explain tea ceremonies with a list');
  const imported = new URL(page.url()).pathname.split('/').pop()!;
  await expect(rowLink(page, imported)).toBeVisible();
  expect(textOf((await storedConversation(page, imported)).body?.messages[1])).toBe(answer);

  // A file that is not an export gets its own message and creates nothing.
  await sidebar(page)
    .getByLabel('Import a conversation exported as JSON')
    .setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"something else"}'),
    });
  await expect(sidebar(page).getByRole('alert')).toContainText('This file is not a conversation exported from Kimi Chat');
  await page.context().close();
});

test('share: a snapshot opened signed out in another browser, users-only links need a sign-in, revoked links 404', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  const id = await chat(page, 'Shared question about <b>bold</b> volcanoes');
  const ownerEmail = await page.locator('nav p[title*="@"]').getAttribute('title');

  const shareWith = async (who: 'Anyone with the link' | 'Signed-in users of this instance') => {
    await menu(page, id, 'Share');
    const dialog = page.getByRole('dialog', { name: 'Share a read-only copy' });
    await dialog.getByLabel(who).check();
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = await dialog.getByLabel('Share link').inputValue();
    await dialog.getByRole('button', { name: 'Close' }).click();
    return url;
  };
  const publicUrl = await shareWith('Anyone with the link');
  const usersUrl = await shareWith('Signed-in users of this instance');
  expect(publicUrl).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);

  // A later message is not in the snapshot.
  await send(page, 'A later private follow-up');
  await waitForAnswer(page);

  const visitor = await browser.newContext();
  const stranger = await visitor.newPage();
  const res = await stranger.goto(publicUrl);
  expect(res?.status()).toBe(200);
  const shared = stranger.getByTestId('shared-thread');
  await expect(shared).toContainText('Shared question about <b>bold</b> volcanoes');
  await expect(stranger.locator('b', { hasText: 'bold' })).toHaveCount(0);
  const html = await stranger.content();
  expect(html).not.toContain('A later private follow-up');
  expect(html).not.toContain(ownerEmail!);
  expect(html).not.toContain(id);

  await stranger.goto(usersUrl);
  await expect(stranger).toHaveURL(/\/sign-in\?callbackUrl=%2Fs%2F/);

  // Listed on the account page; revoking makes the link a 404.
  await page.goto('/account');
  const links = page.getByTestId('shared-links');
  await expect(links.getByRole('listitem')).toHaveCount(2);
  await links
    .getByRole('listitem')
    .filter({ hasText: 'Anyone with the link' })
    .getByRole('button', { name: /^Revoke/ })
    .click();
  await expect(links.getByRole('listitem')).toHaveCount(1);
  expect((await stranger.goto(publicUrl))?.status()).toBe(404);
  expect((await stranger.goto(`${publicUrl.slice(0, -1)}${publicUrl.endsWith('A') ? 'B' : 'A'}`))?.status()).toBe(404);
  await visitor.close();
  await page.context().close();
});

// Issue 12's bugs, each as a user meets it: a New chat that is new, documents that must be ready before a
// question goes out, no silent cut of long messages, nothing typed lost before hydration, a thread that opens
// at its end with the message box focused, no phantom title after a refused first send, a quota date in the
// reader's language, and Retry only where retrying can help.

import {
  composer,
  conversationId,
  holdRequests,
  holdScripts,
  newSignedInPage,
  PASSWORD,
  SIM_ORIGIN,
  send,
  storedConversation,
  textOf,
  thread,
  uniqueEmail,
  waitForAnswer,
} from './helpers';
import { expect, type Page, test } from './test';

const MAX = 100_000;

async function newChatIsNew(page: Page, openSidebar: () => Promise<void>) {
  await send(page, 'ALPHA');
  await waitForAnswer(page);
  const alpha = await conversationId(page);
  await openSidebar();
  await page.getByRole('link', { name: 'New chat' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(page.getByRole('log')).toHaveCount(0);
  await send(page, 'BETA');
  await waitForAnswer(page);
  const beta = await conversationId(page);
  expect(beta).not.toBe(alpha);
  await expect(thread(page)).not.toContainText('ALPHA');
  const alphaStored = await storedConversation(page, alpha);
  expect(alphaStored.body?.messages.map(textOf)).not.toContain('BETA');
  expect(alphaStored.body?.messages).toHaveLength(2);
  expect(textOf((await storedConversation(page, beta)).body?.messages[0])).toBe('BETA');
}

test('New chat after a first message starts a new conversation (desktop)', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await newChatIsNew(page, async () => {});
});

test('New chat after a first message starts a new conversation (390×844)', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page.setViewportSize({ width: 390, height: 844 });
  await newChatIsNew(page, () => page.getByRole('button', { name: 'Open sidebar' }).click());
});

test('Send waits until every attached document is ready, and says so', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  const release = await holdRequests(page, '**/api/documents?conversationId=*');
  await page.getByTestId('attach-input').setInputFiles({
    name: 'harbour.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from('# Harbour notes\n\nThe crimson lighthouse keeper is named Oswin.'),
  });
  await composer(page).fill('Who keeps the lighthouse?');
  const sendButton = page.getByRole('button', { name: 'Send' });
  await expect(sendButton).toBeDisabled();
  await expect(page.getByTestId('send-waiting')).toHaveText('Waiting for documents…');
  await expect(sendButton).toHaveAccessibleDescription('Waiting for documents…');
  await composer(page).press('Enter');
  await page.waitForTimeout(500);
  await expect(page.getByRole('log')).toHaveCount(0);
  await expect(composer(page)).toHaveValue('Who keeps the lighthouse?');

  await release();
  await expect(page.getByTestId('document-chip')).toContainText(/\d+ tokens/);
  await expect(sendButton).toBeEnabled();
  await expect(page.getByTestId('send-waiting')).toHaveCount(0);
  await sendButton.click();
  await waitForAnswer(page);
  // The question's own request (not the title's) carried the document.
  const log = (await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as Array<{
    stream: boolean;
    messages?: Array<{ role: string; content: string }>;
  }>;
  const question = log.findLast((r) => r.stream && r.messages?.at(-1)?.content === 'Who keeps the lighthouse?');
  expect(JSON.stringify(question?.messages)).toContain('Oswin');
});

test('an over-long message is kept whole, counted near the limit and refused clearly', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await composer(page).fill('x'.repeat(MAX - 500));
  await expect(page.getByTestId('composer-count')).toContainText('99,500 / 100,000');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  const long = `${'y'.repeat(MAX + 20)}TAIL`;
  await composer(page).fill(long);
  // Nothing dropped: the whole paste stays in the box.
  expect(await composer(page).evaluate((el) => (el as HTMLTextAreaElement).value.length)).toBe(MAX + 24);
  await expect(page.getByTestId('composer-count')).toContainText('100,024 / 100,000');
  await expect(page.getByTestId('composer-too-long')).toHaveText('This message is 24 characters too long. Shorten it to send it.');
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await composer(page).press('Enter');
  await page.waitForTimeout(300);
  await expect(page.getByRole('log')).toHaveCount(0);
  expect(await composer(page).evaluate((el) => (el as HTMLTextAreaElement).value.endsWith('TAIL'))).toBe(true);
});

for (const [mode, early] of [
  ['sign-up', false],
  ['sign-in', false],
  ['sign-up', true],
  ['sign-in', true],
] as const) {
  test(`text typed into the ${mode} form before it hydrates is kept${early ? ', also when submitted before' : ''}`, async ({ browser }) => {
    const email = uniqueEmail('early');
    if (mode === 'sign-in') {
      const setup = await browser.newContext();
      const res = await setup.request.get('/sign-up');
      expect(res.ok()).toBe(true);
      const first = await setup.newPage();
      await first.goto('/sign-up');
      await first.getByLabel('Email').fill(email);
      await first.getByLabel('Password').fill(PASSWORD);
      await first.getByRole('button', { name: 'Sign up', exact: true }).click();
      await first.waitForURL((url) => url.pathname === '/');
      await setup.close();
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    // Hold the scripts so the form is typed into while it is still plain HTML.
    const release = await holdScripts(page);
    await page.goto(`/${mode}`, { waitUntil: 'commit' });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    const submit = page.getByRole('button', { name: mode === 'sign-up' ? 'Sign up' : 'Sign in', exact: true });
    if (early) {
      // Enter in the password field: the browser submits the plain HTML form (no script has run yet).
      await page.getByLabel('Password').press('Enter', { noWaitAfter: true });
      await page.waitForTimeout(300);
      await release();
    } else {
      await release();
      await page.waitForLoadState('load');
      await page.waitForTimeout(1000);
      await expect(page.getByLabel('Email')).toHaveValue(email);
      await expect(page.getByLabel('Password')).toHaveValue(PASSWORD);
      await submit.click();
    }
    await page.waitForURL((url) => url.pathname === '/');
    await context.close();
  });
}

test('a long thread opens at its end and the message box is focused on a new or opened chat', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await expect(composer(page)).toBeFocused();
  await send(page, 'Please reply with 1500 tokens');
  await waitForAnswer(page);
  const id = await conversationId(page);
  await send(page, 'Please reply with 1500 tokens');
  await expect(page.getByRole('button', { name: 'Regenerate' })).toHaveCount(1, { timeout: 30_000 });
  await waitForAnswer(page);
  // Record where the thread is scrolled when it first shows, before any script runs.
  await page.addInitScript(() => {
    const w = window as unknown as { firstScroll?: { top: number; max: number } };
    const check = () => {
      const box = document.querySelector('[data-testid="thread-scroll"]') ?? document.querySelector('[role="log"]')?.parentElement;
      if (box && box.scrollHeight > box.clientHeight && !w.firstScroll) {
        // Distance from the end, whichever way the box is laid out (a column-reverse box is 0 at its end).
        const reversed = getComputedStyle(box).flexDirection === 'column-reverse';
        const max = box.scrollHeight - box.clientHeight;
        w.firstScroll = { top: reversed ? max + box.scrollTop : box.scrollTop, max };
        return;
      }
      if (!w.firstScroll) requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  await page.goto(`/c/${id}`);
  const first = await page.waitForFunction(() => (window as unknown as { firstScroll?: { top: number; max: number } }).firstScroll);
  const { top, max } = (await first.jsonValue()) as { top: number; max: number };
  expect(max).toBeGreaterThan(200);
  expect(max - top).toBeLessThan(80);
  await expect(composer(page)).toBeFocused();
  await page.getByRole('link', { name: 'New chat' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(composer(page)).toBeFocused();
});

test('a refused first send leaves no title in the sidebar', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page.route('**/api/chat', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 413,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'message_too_long', params: { max: MAX }, retryable: false } }),
        })
      : route.continue(),
  );
  await send(page, 'GAMMA refused');
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expect(composer(page)).toHaveValue('GAMMA refused');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'GAMMA refused' })).toHaveCount(0);
  await expect(page).toHaveURL((url) => url.pathname === '/');
  // Still none once the sidebar has settled and after a reload (a late phantom entry would show here).
  await page.reload();
  await expect(page.getByRole('navigation')).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'GAMMA refused' })).toHaveCount(0);
});

for (const [locale, expected] of [
  ['en-US', 'It resets on January 1, 2027.'],
  ['zh-CN', '2027年1月1日'],
] as const) {
  test(`the quota refusal gives its reset date in the reader's language (${locale})`, async ({ browser }) => {
    const page = await newSignedInPage(browser, locale);
    await page.route('**/api/chat', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 429,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'user_quota_exceeded', params: { resetsAt: '2027-01-01T00:00:00.000Z' }, retryable: false } }),
          })
        : route.continue(),
    );
    await page.getByRole('textbox').last().fill('quota');
    await page.getByRole('textbox').last().press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: '2027' });
    await expect(alert).toContainText(expected);
    await expect(alert).not.toContainText('T00:00');
  });
}

test('an unsupported file offers no Retry; a failed upload that can succeed does', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page
    .getByTestId('attach-input')
    // A 7-Zip archive (images such as PNG are attachments of their own now, not documents).
    .setInputFiles({
      name: 'archive.7z',
      mimeType: 'application/x-7z-compressed',
      buffer: Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04, 0x00, 0x00]),
    });
  const chip = page.getByTestId('document-chip').filter({ hasText: 'archive.7z' });
  await expect(chip.getByRole('alert')).toContainText('This file type (.7z) is not supported');
  await expect(chip.getByRole('button', { name: 'Retry' })).toHaveCount(0);

  let fail = true;
  await page.route('**/api/documents?conversationId=*', (route) => (fail ? route.abort('connectionreset') : route.continue()));
  await page.getByTestId('attach-input').setInputFiles({ name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\n\nHello.') });
  const notes = page.getByTestId('document-chip').filter({ hasText: 'notes.md' });
  await expect(notes.getByRole('button', { name: 'Retry' })).toBeVisible();
  fail = false;
  await notes.getByRole('button', { name: 'Retry' }).click();
  await expect(notes).toContainText(/\d+ tokens/);
});

test('a document too long for the chosen model: formatted numbers, no cost quoted, a formatted send error', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  // About 270k tokens ("ab " is one token): over Kimi K2.6's 262,144-token window, well inside Kimi K3's.
  await page.getByTestId('attach-input').setInputFiles({ name: 'long.txt', mimeType: 'text/plain', buffer: Buffer.from('ab '.repeat(270_000)) });
  await expect(page.getByTestId('document-chip')).toContainText(/\d+ tokens/, { timeout: 60_000 });
  await page.getByRole('button', { name: /^Model/ }).click();
  await page.getByRole('listbox', { name: 'Model' }).locator('[role="option"][data-model="kimi-k2.6"]').click();
  const meter = page.getByTestId('context-meter');
  await expect(meter.getByRole('alert')).toContainText(/Too long for Kimi K2\.6 by \d{1,3}(,\d{3})+ tokens/);
  await expect(meter).not.toContainText('this turn');
  await send(page, 'Summarise it');
  const banner = page.getByRole('alert').filter({ hasText: 'tokens' }).filter({ hasText: 'This conversation is' });
  await expect(banner).toContainText(/This conversation is \d{1,3}(,\d{3})+ tokens, over Kimi K2\.6's 262,144-token window by \d{1,3}(,\d{3})* ?\./);
});

test('a message typed before the chat hydrates is kept, and Send sends it', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  // Hold the scripts so the message box is typed into while it is still the server's HTML.
  const release = await holdScripts(page);
  await page.reload({ waitUntil: 'commit' });
  await composer(page).fill('typed before the page was ready');
  // Still the server's HTML when typed into (no React props on it yet).
  expect(await composer(page).evaluate((el) => Object.keys(el).some((k) => k.startsWith('__reactProps')))).toBe(false);
  await release();
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  await expect(composer(page)).toHaveValue('typed before the page was ready');
  await page.getByRole('button', { name: 'Send' }).click();
  await waitForAnswer(page);
  await expect(thread(page)).toContainText('typed before the page was ready');
  await expect(composer(page)).toHaveValue('');
});

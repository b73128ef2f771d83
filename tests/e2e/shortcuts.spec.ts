// Keyboard shortcuts: Esc stops an answer, Ctrl+K goes to search, Ctrl+Shift+O starts a new chat, `?` (not
// while typing) and the sidebar's button list them in an accessible dialog (English and Chinese), and the
// message box has the focus on a new or opened chat.

import { composer, conversationId, newSignedInPage, send, thread, waitForAnswer } from './helpers';
import { expect, test } from './test';

test('Esc stops a streaming answer', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await send(page, 'Please reply with 600 tokens');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(thread(page).locator('.prose-chat')).not.toHaveCount(0);
  await composer(page).press('Escape');
  await expect(page.getByText('Stopped', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  // The polite live region said so once, not token by token.
  await expect(page.getByTestId('answer-announcer')).toHaveText('The answer was stopped.');
});

test('the answer is announced once, when it is done', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  const announcer = page.getByTestId('answer-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  // Count what the region says while the answer streams.
  await announcer.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { said: string[] }).said = seen;
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await send(page, 'Please reply with 80 tokens');
  await waitForAnswer(page);
  await expect(announcer).toContainText('Kimi answered:');
  const said = await page.evaluate(() => (window as unknown as { said: string[] }).said.filter((s) => s !== ''));
  expect(said.length).toBeLessThanOrEqual(2);
  expect(said[0]).toBe('Kimi is answering…');
  // The thread itself is not a live region (it would read every token).
  await expect(thread(page)).toHaveAttribute('aria-live', 'off');
});

test('Ctrl+K searches, Ctrl+Shift+O starts a new chat with the message box focused', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await expect(composer(page)).toBeFocused();
  await send(page, 'First chat about shortcuts');
  const first = await conversationId(page);
  await waitForAnswer(page);

  await composer(page).press('Control+k');
  await expect(page.getByRole('searchbox', { name: 'Words to find in your messages' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Search messages' })).toHaveCount(0);

  await page.keyboard.press('Control+Shift+O');
  await page.waitForURL((url) => url.pathname === '/');
  await expect(thread(page)).toHaveCount(0);
  await expect(composer(page)).toBeFocused();

  // Opening a chat from the sidebar focuses its message box too.
  await page.getByRole('link', { name: 'First chat about shortcuts' }).click();
  await page.waitForURL(`**/c/${first}`);
  await expect(composer(page)).toBeFocused();
});

test('? and the sidebar button list the shortcuts; ? typed in a field is just text', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await composer(page).fill('why');
  await composer(page).press('?');
  await expect(composer(page)).toHaveValue('why?');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.locator('body').click({ position: { x: 600, y: 300 } });
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Search messages');
  await expect(dialog).toContainText('New chat');
  await expect(dialog).toContainText('Stop the answer');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(dialog).toBeVisible();
});

test('the shortcuts dialog in Chinese', async ({ browser }) => {
  const page = await newSignedInPage(browser, 'zh-CN');
  await page.getByRole('button', { name: '键盘快捷键' }).click();
  const dialog = page.getByRole('dialog', { name: '键盘快捷键' });
  await expect(dialog).toContainText('搜索消息');
  await expect(dialog).toContainText('停止回答');
});

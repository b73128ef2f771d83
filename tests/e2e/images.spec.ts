// Images in a real browser: paste a screenshot into the composer, see its chip, send it, see it in the thread
// (after a reload too), and the simulator received it as an image_url data URL; editing the message sends the
// image again. Another user cannot load it.

import { SAMPLES } from '../support/images';
import { composer, newSignedInPage, SIM_ORIGIN, send, signUp, thread, uniqueEmail, waitForAnswer } from './helpers';
import { expect, test } from './test';

test('paste an image, send it, see it after a reload; the model received it, also on an edit; another user gets 404', async ({ page, browser }) => {
  await signUp(page, uniqueEmail('images'));
  await fetch(`${SIM_ORIGIN}/sim/requests`, { method: 'DELETE' });
  const png = SAMPLES.png(320, 200).toString('base64');
  await composer(page).click();
  await page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  const chips = page.getByRole('list', { name: 'Attached images' });
  await expect(chips.getByRole('img', { name: 'screenshot.png' })).toBeVisible();
  await expect(chips.getByText('Uploading…')).toHaveCount(0);

  await send(page, 'What is in this screenshot?');
  await waitForAnswer(page);
  await expect(thread(page).getByText('I saw 1 image: png 320×200.', { exact: false })).toBeVisible();
  const shown = page.getByRole('log').getByRole('img', { name: 'screenshot.png' });
  await expect(shown).toBeVisible();
  const src = await shown.getAttribute('src');
  expect(src).toMatch(/^\/api\/images\/[0-9a-f-]{36}$/);

  const calls = ((await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as Array<{ path: string; stream?: boolean; messages?: unknown }>).filter(
    (r) => r.path === '/v1/chat/completions' && r.stream,
  );
  expect(JSON.stringify(calls[0]?.messages)).toContain(`data:image/png;base64,${png}`);

  await page.reload();
  await expect(page.getByRole('log').getByRole('img', { name: 'screenshot.png' })).toBeVisible();
  const mine = await page.request.get(src!);
  expect(mine.status()).toBe(200);
  expect(mine.headers()['content-type']).toBe('image/png');

  // Editing the message keeps its image: the edited turn sends it again.
  await fetch(`${SIM_ORIGIN}/sim/requests`, { method: 'DELETE' });
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('textbox', { name: 'Edit your message' }).fill('Describe this screenshot instead.');
  await page.getByRole('button', { name: 'Save & send' }).click();
  await waitForAnswer(page);
  await expect(page.getByText('Describe this screenshot instead.', { exact: false }).last()).toBeVisible();
  await expect(page.getByRole('log').getByRole('img', { name: 'screenshot.png' })).toBeVisible();
  const edited = ((await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as Array<{ path: string; stream?: boolean; messages?: unknown }>).filter(
    (r) => r.path === '/v1/chat/completions' && r.stream,
  );
  expect(JSON.stringify(edited[0]?.messages)).toContain('Describe this screenshot instead.');
  expect(JSON.stringify(edited[0]?.messages)).toContain(`data:image/png;base64,${png}`);

  const other = await newSignedInPage(browser);
  expect((await other.request.get(src!)).status()).toBe(404);
});

// Branches in a real browser against the real server and the simulator: regenerate keeps the earlier
// answers behind a ‹ n / n › switch, edit works on any user message and starts a branch, the chosen branch
// survives a reload, a message sent on a switched branch continues it, and Kimi receives only that path.

import { conversationId, holdScripts, newSignedInPage, SIM_ORIGIN, send, storedConversation, textOf, thread, waitForAnswer } from './helpers';
import { expect, type Page, test } from './test';

interface LoggedRequest {
  path: string;
  stream?: boolean;
  messages?: Array<{ role: string; content: unknown }>;
}

/** The user messages of the last streamed chat call the simulator received. */
async function lastSentUserTexts(): Promise<string[]> {
  const log = (await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as LoggedRequest[];
  const call = log.findLast((r) => r.path === '/v1/chat/completions' && r.stream);
  return (call?.messages ?? []).filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
}

const position = (page: Page) => page.getByTestId('branch-switch');

test('regenerate twice shows ‹ 3 / 3 ›; switching back to the first answer is remembered after a reload', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await send(page, 'Branch me, please reply with 12 tokens');
  await waitForAnswer(page);
  const id = await conversationId(page);
  const first = (await storedConversation(page, id)).body!.messages[1]!;

  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(position(page)).toContainText('2 / 2');
  await waitForAnswer(page);
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(position(page)).toContainText('3 / 3');
  await waitForAnswer(page);
  await expect(page.getByRole('button', { name: 'Next version' })).toBeDisabled();

  // Accessible: a labelled group with labelled buttons.
  const nav = page.getByRole('navigation', { name: 'Versions of this message' });
  await expect(nav).toBeVisible();
  await nav.getByRole('button', { name: 'Previous version' }).click();
  await expect(position(page)).toContainText('2 / 3');
  await nav.getByRole('button', { name: 'Previous version' }).click();
  await expect(position(page)).toContainText('1 / 3');
  await expect(nav.getByRole('button', { name: 'Previous version' })).toBeDisabled();

  const stored = (await storedConversation(page, id)).body!;
  expect(stored.messages).toHaveLength(2);
  expect((stored.messages[1] as unknown as { id: string }).id).toBe((first as unknown as { id: string }).id);
  await page.reload();
  await expect(position(page)).toContainText('1 / 3');
  const reloaded = (await storedConversation(page, id)).body!;
  expect((reloaded.messages[1] as unknown as { id: string }).id).toBe((first as unknown as { id: string }).id);
  expect(textOf(reloaded.messages[1])).toBe(textOf(first));
});

test('edit the first of three messages: a new branch; the old one is reachable; sending there continues it; Kimi gets only the path', async ({
  browser,
}) => {
  const page = await newSignedInPage(browser);
  for (const word of ['ALPHA', 'BRAVO', 'CHARLIE']) {
    await send(page, `${word} reply with 8 tokens`);
    await waitForAnswer(page);
    await expect(thread(page)).toContainText(word);
  }
  const id = await conversationId(page);

  // Edit the first user message (not only the last can be edited now).
  await page.getByRole('button', { name: 'Edit' }).first().click();
  const editor = page.getByRole('textbox', { name: 'Edit your message' });
  await editor.fill('DELTA reply with 8 tokens');
  await page.getByRole('button', { name: 'Save & send' }).click();
  await waitForAnswer(page);
  await expect(position(page).first()).toContainText('2 / 2');
  await expect(thread(page)).not.toContainText('BRAVO');
  expect(await lastSentUserTexts()).toEqual(['DELTA reply with 8 tokens']);

  // Back to the original branch: all three exchanges are there.
  await page.getByRole('button', { name: 'Previous version' }).first().click();
  await expect(position(page).first()).toContainText('1 / 2');
  await expect(thread(page)).toContainText('CHARLIE');
  await expect(thread(page)).not.toContainText('DELTA');

  // A message sent on the switched branch continues it; Kimi receives that path only.
  await fetch(`${SIM_ORIGIN}/sim/requests`, { method: 'DELETE' });
  await send(page, 'ECHO reply with 8 tokens');
  await waitForAnswer(page);
  expect(await lastSentUserTexts()).toEqual([
    'ALPHA reply with 8 tokens',
    'BRAVO reply with 8 tokens',
    'CHARLIE reply with 8 tokens',
    'ECHO reply with 8 tokens',
  ]);

  // After a reload the thread is the same branch, with the new message at its end. Until the page hydrates
  // the switch is there but disabled (a click then would be lost), and works once it has.
  const release = await holdScripts(page);
  await page.reload({ waitUntil: 'commit' });
  await expect(position(page).first()).toContainText('1 / 2');
  await expect(page.getByRole('button', { name: 'Next version' }).first()).toBeDisabled();
  await release();
  const stored = (await storedConversation(page, id)).body!;
  expect(stored.messages.filter((m) => m.role === 'user').map(textOf)).toEqual([
    'ALPHA reply with 8 tokens',
    'BRAVO reply with 8 tokens',
    'CHARLIE reply with 8 tokens',
    'ECHO reply with 8 tokens',
  ]);
  await page.getByRole('button', { name: 'Next version' }).first().click();
  await expect(thread(page)).toContainText('DELTA');
  await expect(thread(page)).not.toContainText('ECHO');
});

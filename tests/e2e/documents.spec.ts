import { getModel } from '@/lib/kimi/catalog';
import { KNOWN_SENTENCE, textPdf } from '@/tests/support/fixtures/documents';
import { conversationId, holdScripts, newSignedInPage, pickModel, SIM_ORIGIN, send, waitForAnswer } from './helpers';
import { expect, type Locator, test } from './test';

interface LoggedRequest {
  path: string;
  model?: string;
  stream: boolean;
  messages?: Array<{ role: string; content: string }>;
  params: { max_tokens?: number; max_completion_tokens?: number };
  usage?: { prompt_tokens: number };
}

/** A Markdown appendix longer than Kimi K2.6's whole window (262,144 tokens) on its own: about 290k tokens. */
function hugeAppendix(): Buffer {
  const prose =
    'Long documents are the point of this application and every paragraph of this appendix carries ordinary prose about quarterly figures, shipping schedules and the weather in the harbour.';
  const paragraphs = Array.from({ length: 5200 }, (_, i) => `Appendix paragraph ${i + 1}. ${prose}`);
  return Buffer.from(`# Appendix\n\n${paragraphs.join('\n\n')}\n`);
}

const chipTokens = async (chip: Locator) => Number((await chip.innerText()).match(/([\d,]+) tokens/)?.[1]?.replace(/,/g, ''));

test('a 300-page PDF: chip with pages and tokens, the meter, the sentence reaches the model, a too-small model warns', async ({ browser }) => {
  test.setTimeout(150_000);
  const page = await newSignedInPage(browser);
  await page.getByTestId('attach-input').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: await textPdf() });
  await expect(page.getByRole('button', { name: 'Attach' })).toBeVisible();

  const chip = page.getByTestId('document-chip').filter({ hasText: 'report.pdf' });
  await expect(chip).toContainText('300 pages', { timeout: 60_000 });
  const tokens = await chipTokens(chip);
  expect(tokens).toBeGreaterThan(32_768);
  const meter = page.getByTestId('context-meter');
  await expect(meter).toContainText(`Documents ${tokens.toLocaleString('en-US')}`);
  // Auto: K2.6 holds it with its whole 32k answer budget.
  await expect(meter.getByTestId('context-served-model')).toHaveAttribute('data-model', 'kimi-k2.6');
  await expect(meter).toContainText('Auto → Kimi K2.6');
  await expect(page.getByRole('meter')).toBeVisible();

  await send(page, 'What does the violet heron count at midnight, and on which page?');
  await waitForAnswer(page);
  const log = (await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as LoggedRequest[];
  const call = log.findLast(
    (r) => r.path === '/v1/chat/completions' && r.stream && r.messages?.some((m) => m.role === 'system' && m.content.includes(KNOWN_SENTENCE)),
  );
  expect(call, 'the document reached the model').toBeTruthy();
  expect(call!.model).toBe('kimi-k2.6');
  const system = call!.messages!.find((m) => m.content.includes(KNOWN_SENTENCE))!;
  expect(system.content.startsWith('Document: report.pdf\n\n')).toBe(true);
  expect(system.content.indexOf(KNOWN_SENTENCE)).toBeGreaterThan(system.content.indexOf('[Page 250]'));
  const reserved = call!.params.max_tokens ?? call!.params.max_completion_tokens ?? 0;
  expect(call!.usage!.prompt_tokens + reserved).toBeLessThanOrEqual(getModel(call!.model!).contextWindow);

  // An appendix longer than K2.6's whole window: Auto moves to K3; K2.6 chosen by hand is too small.
  await page.getByTestId('attach-input').setInputFiles({ name: 'appendix.md', mimeType: 'text/markdown', buffer: hugeAppendix() });
  const appendix = page.getByTestId('document-chip').filter({ hasText: 'appendix.md' });
  await expect(appendix).toContainText(/[\d,]+ tokens/, { timeout: 60_000 });
  expect(await chipTokens(appendix)).toBeGreaterThan(getModel('kimi-k2.6').contextWindow);
  await expect(meter.getByTestId('context-served-model')).toHaveAttribute('data-model', 'kimi-k3');
  await expect(meter.getByRole('alert')).toHaveCount(0);

  await pickModel(page, 'kimi-k2.6');
  await expect(meter.getByRole('alert')).toContainText(/Too long for Kimi K2\.6 by [\d,]+ tokens — switch to Kimi K3/);
  await meter.getByRole('button', { name: 'Switch to Kimi K3' }).click();
  await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', 'kimi-k3');
  await expect(meter.getByRole('alert')).toHaveCount(0);
});

test('a bad file gets its translated error on the chip and can be removed', async ({ browser }) => {
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
  await chip.getByRole('button', { name: 'Remove archive.7z' }).click();
  await expect(page.getByTestId('document-chip')).toHaveCount(0);
});

test('files dropped on the chat show the drop overlay and attach', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['# Dropped notes\n\nThe violet heron was here.'], 'dropped.md', { type: 'text/markdown' }));
    return transfer;
  });
  const target = page.getByRole('textbox', { name: 'Message' });
  await target.dispatchEvent('dragenter', { dataTransfer });
  await expect(page.getByText('Drop files to attach them to this chat')).toBeVisible();
  await target.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByText('Drop files to attach them to this chat')).toHaveCount(0);
  await expect(page.getByTestId('document-chip').filter({ hasText: 'dropped.md' })).toContainText(/\d+ tokens/);
});

test("a conversation opened again shows its documents from the server's HTML, before any script has run", async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page
    .getByTestId('attach-input')
    .setInputFiles({ name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\n\nThe harbour opens at six.\n') });
  await expect(page.getByTestId('document-chip').filter({ hasText: 'notes.md' })).toContainText('tokens');
  await send(page, 'When does the harbour open?');
  await waitForAnswer(page);
  const id = await conversationId(page);

  const release = await holdScripts(page);
  await page.goto(`/c/${id}`, { waitUntil: 'commit' });
  await expect(page.getByTestId('document-chip').filter({ hasText: 'notes.md' })).toBeVisible();
  await release();
  await expect(page.getByTestId('document-chip')).toHaveCount(1);
});

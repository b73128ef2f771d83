import { expect, test } from '@playwright/test';
import { getModel } from '@/lib/kimi/catalog';
import { KNOWN_SENTENCE, textPdf } from '@/tests/support/fixtures/documents';
import { SIM_ORIGIN, newSignedInPage, send, waitForAnswer } from './helpers';

interface LoggedRequest {
  path: string;
  model?: string;
  stream: boolean;
  messages?: Array<{ role: string; content: string }>;
  params: { max_tokens?: number; max_completion_tokens?: number };
  usage?: { prompt_tokens: number };
}

test('a 300-page PDF: chip with pages and tokens, the meter, the sentence reaches the model, a too-small model warns', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await newSignedInPage(browser);
  await page.getByTestId('attach-input').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: await textPdf() });
  await expect(page.getByRole('button', { name: 'Attach' })).toBeVisible();

  const chip = page.getByTestId('document-chip').filter({ hasText: 'report.pdf' });
  await expect(chip).toContainText('300 pages', { timeout: 60_000 });
  const tokens = Number((await chip.innerText()).match(/([\d,]+) tokens/)?.[1]?.replace(/,/g, ''));
  expect(tokens).toBeGreaterThan(32_768); // needs the 128k window
  const meter = page.getByTestId('context-meter');
  await expect(meter).toContainText(`Documents ${tokens.toLocaleString('en-US')}`);
  await expect(meter).toContainText('Auto will use Moonshot v1 128K');
  await expect(page.getByRole('meter')).toBeVisible();

  await send(page, 'What does the violet heron count at midnight, and on which page?');
  await waitForAnswer(page);
  const log = (await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as LoggedRequest[];
  const call = log.findLast((r) => r.path === '/v1/chat/completions' && r.stream && r.messages?.some((m) => m.role === 'system' && m.content.includes(KNOWN_SENTENCE)));
  expect(call, 'the document reached the model').toBeTruthy();
  const system = call!.messages!.find((m) => m.content.includes(KNOWN_SENTENCE))!;
  expect(system.content.startsWith('Document: report.pdf\n\n')).toBe(true);
  expect(system.content.indexOf(KNOWN_SENTENCE)).toBeGreaterThan(system.content.indexOf('[Page 250]'));
  const reserved = call!.params.max_tokens ?? call!.params.max_completion_tokens ?? 0;
  expect(call!.usage!.prompt_tokens + reserved).toBeLessThanOrEqual(getModel(call!.model!).contextWindow);

  await page.getByRole('combobox', { name: 'Model' }).selectOption('moonshot-v1-8k');
  await expect(meter.getByRole('alert')).toContainText(/Too long for Moonshot v1 8K by [\d,]+ tokens — switch to Moonshot v1 128K/);
  await meter.getByRole('button', { name: 'Switch to Moonshot v1 128K' }).click();
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue('moonshot-v1-128k');
  await expect(meter.getByRole('alert')).toHaveCount(0);
});

test('a bad file gets its translated error on the chip and can be removed', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page.getByTestId('attach-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]) });
  const chip = page.getByTestId('document-chip').filter({ hasText: 'photo.png' });
  await expect(chip.getByRole('alert')).toContainText('This file type (.png) is not supported');
  await chip.getByRole('button', { name: 'Remove photo.png' }).click();
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

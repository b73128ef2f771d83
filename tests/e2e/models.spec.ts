// Today's models in a real browser against the real server and the simulator: the picker offers exactly
// what the endpoint serves (plus Auto), an answer's details name the model that answered and match the
// ledger, K3's effort reaches Kimi as reasoning_effort (with no temperature or thinking), and an answer cut
// at its length limit is continued into the same message.

import { servedCatalog } from '../../sim/models';
import { parseCsvRecords } from '../support/csv';
import {
  ADMIN_EMAIL,
  composer,
  conversationId,
  newSignedInPage,
  PASSWORD,
  modelPicker as picker,
  pickModel,
  SIM_ORIGIN,
  send,
  signUp,
  storedConversation,
  textOf,
  thread,
  uniqueEmail,
  waitForAnswer,
} from './helpers';
import { expect, type Page, test } from './test';

interface LoggedRequest {
  path: string;
  model?: string;
  messages?: Array<{ role: string; content?: unknown; partial?: boolean }>;
  params?: Record<string, unknown>;
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number; completion_tokens_details?: { reasoning_tokens?: number } };
}

async function simRequests(): Promise<LoggedRequest[]> {
  return ((await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as LoggedRequest[]).filter((r) => r.path === '/v1/chat/completions');
}

async function clearSimRequests(): Promise<void> {
  await fetch(`${SIM_ORIGIN}/sim/requests`, { method: 'DELETE' });
}

const lastUserText = (r: LoggedRequest) => {
  const user = [...(r.messages ?? [])].reverse().find((m) => m.role === 'user');
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
};

/** The ids the e2e simulator's GET /v1/models lists (its default catalog, today's; the app's key is random, so read it from the source). */
function simModelIds(): string[] {
  return servedCatalog('current').models.map((m) => m.id);
}

/** The numbers of the last answer's details, as its data-value attributes carry them. */
async function answerDetails(page: Page) {
  const details = page.getByTestId('message-details').last();
  await expect(details).toBeVisible();
  const value = async (id: string) => (await details.getByTestId(`details-${id}`).getAttribute('data-value')) ?? '';
  return {
    model: await details.getAttribute('data-model'),
    requestedModel: await details.getAttribute('data-requested-model'),
    calls: Number(await details.getAttribute('data-calls')),
    estimated: (await details.getAttribute('data-estimated')) === 'true',
    prompt: Number(await value('prompt')),
    cached: Number(await value('cached')),
    completion: Number(await value('completion')),
    reasoning: Number(await value('reasoning')),
    cost: await value('cost'),
    ttft: await value('ttft'),
    duration: Number(await value('duration')),
  };
}

/** The first account this spec made: the instance's admin when the spec runs alone. */
let firstEmail = '';

test('an answer on Auto says which model answered, and its numbers are the ledger row', async ({ page, browser }) => {
  firstEmail = await signUp(page, uniqueEmail('models-first'));
  await clearSimRequests();
  await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', 'auto');
  await send(page, 'Please reply with 40 tokens');
  await waitForAnswer(page);
  const id = await conversationId(page);

  const details = await answerDetails(page);
  expect(details.requestedModel).toBe('auto');
  expect(details.model).toBe('kimi-k2.6'); // Auto's pick for a short prompt
  expect(details.calls).toBe(1);
  expect(details.estimated).toBe(false);
  await expect(page.getByTestId('details-auto')).toHaveText(/chosen by Auto/);
  await page.getByTestId('message-details').getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('details-prompt')).toBeVisible();

  // The simulator's own count of the call that answered.
  const calls = await simRequests();
  const answerCall = calls.find(
    (r) =>
      r.usage && lastUserText(r).includes('Please reply with 40 tokens') && !JSON.stringify(r.messages?.[0] ?? '').includes('conversation title'),
  );
  expect(answerCall?.model).toBe(details.model);
  expect(details.prompt).toBe(answerCall!.usage!.prompt_tokens);
  expect(details.completion).toBe(answerCall!.usage!.completion_tokens);

  // The ledger row, from the admin's CSV export: this account when the spec runs alone, else admin.spec's account.
  let csv = await page.request.get('/api/admin/usage/export');
  if (!csv.ok()) {
    const admin = await browser.newContext({ locale: 'en-US' });
    await signUp(await admin.newPage(), ADMIN_EMAIL); // taken: signs its owner in
    csv = await admin.request.get('/api/admin/usage/export');
  }
  expect(csv.ok(), 'the admin reads the CSV export').toBe(true);
  const rows = parseCsvRecords(await csv.text()).filter((r) => r.conversation_id === id && r.purpose === 'chat');
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  expect(row.requested_model).toBe('auto');
  expect(row.served_model).toBe(details.model);
  expect(Number(row.prompt_tokens)).toBe(details.prompt);
  expect(Number(row.cached_tokens)).toBe(details.cached);
  expect(Number(row.completion_tokens)).toBe(details.completion);
  expect(Number(row.reasoning_tokens)).toBe(details.reasoning);
  expect(Number(row.cost)).toBeCloseTo(Number(details.cost), 10);
  expect(row.ttft_ms).toBe(details.ttft);
  expect(Number(row.duration_ms)).toBe(details.duration);
});

test('the picker lists exactly the models the endpoint serves, plus Auto, and works from the keyboard', async ({ page }) => {
  await signUp(page, uniqueEmail('models'));
  const served = simModelIds();
  await picker(page).click();
  const listbox = page.getByRole('listbox', { name: 'Model' });
  await expect(listbox).toBeVisible();
  const offered = await listbox.getByRole('option').evaluateAll((els) => els.map((el) => el.getAttribute('data-model') ?? ''));
  expect(offered[0]).toBe('auto');
  expect([...offered].sort()).toEqual(['auto', ...served].sort());
  // Auto is the default (no admin changed it): selected, with its description.
  await expect(listbox.getByRole('option', { selected: true })).toHaveAttribute('data-model', 'auto');
  await expect(listbox.getByRole('option', { selected: true })).toContainText('Picks the cheapest model whose window fits');
  await expect(listbox.locator('[data-model="kimi-k3"]')).toContainText('Most capable, 1M window, always thinks');

  // Keyboard: Escape closes and gives focus back; arrows open and move; Enter chooses.
  await page.keyboard.press('Escape');
  await expect(listbox).toBeHidden();
  await expect(picker(page)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(listbox).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(listbox).toBeHidden();
  await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', offered[1]!);
});

test('K3 with effort low: Kimi gets reasoning_effort low and no temperature or thinking', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await pickModel(page, 'kimi-k3');
  const effort = page.getByRole('radiogroup', { name: 'Effort' });
  await expect(effort.getByRole('radio', { name: 'Default' })).toBeChecked();
  await effort.getByRole('radio', { name: 'Low' }).click();
  await expect(effort.getByRole('radio', { name: 'Low' })).toBeChecked();
  await expect(page.getByRole('switch', { name: 'Thinking' })).toHaveCount(0);

  await clearSimRequests();
  const question = `Effort check ${Date.now()}`;
  await send(page, question);
  await waitForAnswer(page);
  const id = await conversationId(page);

  const call = (await simRequests()).find((r) => r.model === 'kimi-k3' && lastUserText(r).includes(question));
  expect(call, 'the answer call reached the simulator').toBeDefined();
  expect(call!.params?.reasoning_effort).toBe('low');
  expect(call!.params).not.toHaveProperty('temperature');
  expect(call!.params).not.toHaveProperty('thinking');

  const details = await answerDetails(page);
  expect(details.model).toBe('kimi-k3');
  expect(details.requestedModel).toBe('kimi-k3');
  await expect(page.getByTestId('details-auto')).toHaveCount(0);
  // The choice is remembered with the conversation.
  await page.reload();
  await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', 'kimi-k3');
  await expect(page.getByRole('radiogroup', { name: 'Effort' }).getByRole('radio', { name: 'Low' })).toBeChecked();
  expect((await storedConversation(page, id)).status).toBe(200);
});

test('an answer cut at its length limit is marked, and Continue extends the same message', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await clearSimRequests();
  await send(page, 'Please reply with 300 tokens; cut off after 200 tokens');
  await waitForAnswer(page);
  const id = await conversationId(page);

  const cut = page.getByTestId('cut-off');
  await expect(cut).toContainText('Cut off: the answer reached its length limit');
  const first = textOf((await storedConversation(page, id)).body?.messages[1]);
  expect(first.length).toBeGreaterThan(100);
  expect((await answerDetails(page)).calls).toBe(1);

  await cut.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('cut-off')).toHaveCount(0);
  await waitForAnswer(page);
  await expect(page.getByTestId('details-calls')).toHaveText('2 calls');
  expect((await answerDetails(page)).calls).toBe(2);

  // One answer, longer than before, starting with the cut text; the continuation was a partial-mode call.
  await expect.poll(async () => (await storedConversation(page, id)).body?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  await expect.poll(async () => (await storedConversation(page, id)).body?.messages[1]?.metadata?.status).toBe('complete');
  const whole = textOf((await storedConversation(page, id)).body?.messages[1]);
  expect(whole.length).toBeGreaterThan(first.length);
  expect(whole.startsWith(first.slice(0, 100))).toBe(true);
  await expect(thread(page).getByRole('heading', { name: 'Kimi' })).toHaveCount(1);
  await expect(thread(page)).toContainText(whole.slice(-40).trim());
  const partial = (await simRequests()).find((r) => r.messages?.at(-1)?.role === 'assistant' && r.messages.at(-1)?.partial === true);
  expect(partial, 'the continuation prefilled the cut answer').toBeDefined();

  // After a reload the answer is still whole: no mark, two calls.
  await page.reload();
  await expect(page.getByTestId('cut-off')).toHaveCount(0);
  await expect(page.getByTestId('details-calls')).toHaveText('2 calls');
});

test('model not found: the thread names it, offers the served models, and switching resends the typed text', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  // A conversation asking for a model Kimi no longer serves (the picker never offers one: forge the request once).
  let forged = false;
  await page.route('**/api/chat', async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}') as { settings?: { model?: string } };
    if (forged || !body.settings) return route.continue();
    forged = true;
    return route.continue({ postData: JSON.stringify({ ...body, settings: { ...body.settings, model: 'kimi-k2.5' } }) });
  });
  await send(page, 'Which model answers this?');
  const alert = page.getByRole('alert').filter({ hasText: 'kimi-k2.5' });
  await expect(alert).toBeVisible();
  await expect(composer(page)).toHaveValue('Which model answers this?');
  const choices = alert.getByRole('group', { name: 'Available models' });
  await expect(choices.getByRole('button', { name: 'Switch to Kimi K3 and retry' })).toBeVisible();
  await expect(choices.getByRole('button', { name: /kimi-k2\.5/ })).toHaveCount(0);

  await choices.getByRole('button', { name: 'Switch to Kimi K3 and retry' }).click();
  await waitForAnswer(page);
  await expect(alert).toHaveCount(0);
  await expect(composer(page)).toHaveValue('');
  await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', 'kimi-k3');
  expect((await answerDetails(page)).model).toBe('kimi-k3');
  await expect(thread(page)).toContainText('Which model answers this?');
});

test('the admin sets the default model on /admin/prices; new chats start on it', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  // The admin is admin.spec's account in the whole suite, or this spec's first account when it runs alone.
  let prices = null;
  for (const email of [ADMIN_EMAIL, firstEmail]) {
    if (!email) continue;
    await context.clearCookies();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in', { waitUntil: 'commit', timeout: 10_000 }).catch(() => undefined);
    prices = await page.goto('/admin/prices');
    if (prices?.status() === 200) break;
  }
  expect(prices?.status(), 'one of the accounts is the admin').toBe(200);

  // Seed prices no primary source confirms are flagged.
  const served = page.getByRole('table', { name: 'Models Kimi serves' });
  await expect(served.getByRole('row').filter({ hasText: 'kimi-k3' })).toContainText('Check this price');
  await expect(served.getByRole('row').filter({ hasText: 'kimi-k2.6' })).not.toContainText('Check this price');

  const select = page.getByRole('combobox', { name: 'Default model' });
  await expect(select).toHaveValue('auto');
  expect(await select.locator('option').evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value).sort())).toEqual(
    ['auto', ...simModelIds()].sort(),
  );
  try {
    await select.selectOption('kimi-k2.6');
    await page.getByRole('button', { name: 'Save default' }).click();
    await expect(page.getByText('Current default: Kimi K2.6')).toBeVisible();
    await page.goto('/');
    await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', 'kimi-k2.6');
    await expect(page.getByRole('switch', { name: 'Thinking' })).toBeChecked();
  } finally {
    // Leave the instance as it was: Auto by default.
    await page.goto('/admin/prices');
    await page.getByRole('combobox', { name: 'Default model' }).selectOption('auto');
    await page.getByRole('button', { name: 'Save default' }).click();
    await expect(page.getByText('Current default: Auto')).toBeVisible();
  }
  await context.close();
});

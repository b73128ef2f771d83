import {
  composer,
  conversationId,
  modelPicker,
  newSignedInPage,
  pickModel,
  queueSimFault,
  send,
  signUp,
  storedConversation,
  textOf,
  thread,
  uniqueEmail,
  waitForAnswer,
} from './helpers';
import { expect, test } from './test';

test('sign up, chat with the simulator and see the answer arrive in pieces', async ({ page }) => {
  await signUp(page, uniqueEmail('first'));
  await expect(page.getByTitle('No API key is set', { exact: false })).toContainText('Simulator');
  await send(page, 'Please reply with 300 tokens');

  // Sample the thread while the answer streams: it must grow in several steps, not appear at once.
  const lengths: number[] = [];
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    lengths.push((await thread(page).innerText()).length);
    if (await page.getByRole('button', { name: 'Regenerate' }).isVisible()) break;
    await page.waitForTimeout(150);
  }
  const distinct = new Set(lengths);
  expect(distinct.size).toBeGreaterThanOrEqual(4);
  await waitForAnswer(page);

  const id = await conversationId(page);
  const stored = await storedConversation(page, id);
  expect(stored.body?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  const answer = textOf(stored.body?.messages[1]);
  expect(answer.length).toBeGreaterThan(500);
  await expect(thread(page)).toContainText(answer.slice(-40).trim());
  // The title from the first question shows in the sidebar.
  await expect.poll(async () => (await storedConversation(page, id)).body?.title ?? '').not.toBe('');
  await expect(page.getByRole('navigation').getByRole('link', { name: (await storedConversation(page, id)).body!.title })).toBeVisible();
});

test('stop keeps the partial answer, marked stopped, also after a reload', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await send(page, 'Please reply with 2000 tokens');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect.poll(async () => (await thread(page).innerText()).length, { timeout: 10_000 }).toBeGreaterThan(200);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  const id = await conversationId(page);

  await expect.poll(async () => (await storedConversation(page, id)).body?.messages[1]?.metadata?.status).toBe('stopped');
  const partial = textOf((await storedConversation(page, id)).body?.messages[1]);
  expect(partial.length).toBeGreaterThan(50);
  expect(partial.split(/\s+/).length).toBeLessThan(1500); // nowhere near the 2000 tokens asked for
  await page.reload();
  await expect(page.getByText('Stopped', { exact: true })).toBeVisible();
  await expect(thread(page)).toContainText(partial.slice(0, 60).trim());
});

test('regenerate replaces the last answer; edit replaces the last question', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await send(page, 'What is the capital of France?');
  await waitForAnswer(page);
  const id = await conversationId(page);

  await page.getByRole('button', { name: 'Regenerate' }).click();
  await waitForAnswer(page);
  await expect.poll(async () => (await storedConversation(page, id)).body?.messages.length).toBe(2);

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('textbox', { name: 'Edit your message' }).fill('What is the capital of Italy?');
  await page.getByRole('button', { name: 'Save & send' }).click();
  await waitForAnswer(page);
  await expect(thread(page)).toContainText('What is the capital of Italy?');
  const stored = await storedConversation(page, id);
  expect(stored.body?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  expect(textOf(stored.body?.messages[0])).toBe('What is the capital of Italy?');
  expect(textOf(stored.body?.messages[1])).toContain('What is the capital of Italy?');
});

test('a reload mid-stream finds the answer still coming, then saved in full', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await send(page, 'Please reply with 600 tokens');
  const id = await conversationId(page);
  await expect.poll(async () => (await thread(page).innerText()).length, { timeout: 10_000 }).toBeGreaterThan(150);
  await page.reload();
  await waitForAnswer(page);
  const stored = await storedConversation(page, id);
  expect(stored.body?.messages.map((m) => [m.role, m.metadata?.status])).toEqual([
    ['user', 'complete'],
    ['assistant', 'complete'],
  ]);
  const answer = textOf(stored.body?.messages[1]);
  await expect(thread(page)).toContainText(answer.slice(-60).trim());
  await expect(thread(page)).toContainText(answer.slice(0, 60).trim());
});

test('rename and delete a conversation from the sidebar', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await send(page, 'Plan a trip to Hangzhou');
  await waitForAnswer(page);
  const id = await conversationId(page);
  await expect.poll(async () => (await storedConversation(page, id)).body?.title ?? '').not.toBe('');
  const title = (await storedConversation(page, id)).body!.title;

  const sidebar = page.getByRole('navigation');
  await sidebar.getByRole('button', { name: `Options for “${title}”` }).click();
  await page.getByRole('menuitem', { name: 'Rename' }).click();
  const input = page.getByRole('textbox', { name: 'Chat title' });
  await input.fill('West Lake weekend');
  await input.press('Enter');
  await expect(sidebar.getByRole('link', { name: 'West Lake weekend' })).toBeVisible();
  expect((await storedConversation(page, id)).body?.title).toBe('West Lake weekend');

  await page.getByRole('searchbox', { name: 'Search' }).fill('west lake');
  await expect(sidebar.getByRole('link', { name: 'West Lake weekend' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search' }).fill('');

  await sidebar.getByRole('button', { name: 'Options for “West Lake weekend”' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(sidebar.getByRole('link', { name: 'West Lake weekend' })).toHaveCount(0);
  expect((await storedConversation(page, id)).status).toBe(404);
});

test("a second user cannot open the first user's conversation by URL or API", async ({ browser }) => {
  const alice = await newSignedInPage(browser);
  const bob = await newSignedInPage(browser);
  // About five seconds of answer: Bob's resume is asked while it streams, together with Alice's own.
  await send(alice, 'My secret plan is pineapple pizza. Please reply with 600 tokens');
  const id = await conversationId(alice);
  await expect(thread(alice)).toContainText('sed do ut enim'); // the simulator's filler: the answer is streaming
  const [alicesResume, bobsResume] = await Promise.all([alice.request.get(`/api/chat/${id}/stream`), bob.request.get(`/api/chat/${id}/stream`)]);
  expect(alicesResume.status()).toBe(200);
  expect(bobsResume.status()).toBe(204);
  await waitForAnswer(alice);

  await bob.goto(`/c/${id}`);
  await expect(bob.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(bob.getByText('pineapple pizza')).toHaveCount(0);
  expect((await bob.request.get(`/api/conversations/${id}`)).status()).toBe(404);
  expect((await bob.request.delete(`/api/conversations/${id}`)).status()).toBe(404);
  const hijack = await bob.request.post('/api/chat', {
    data: {
      id,
      trigger: 'submit-message',
      message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'let me in' }] },
      settings: { model: 'auto', systemPrompt: '', temperature: null },
    },
  });
  expect(hijack.status()).toBe(404);
  const bobsList = (await (await bob.request.get('/api/conversations')).json()) as { items: Array<{ id: string }> };
  expect(bobsList.items.map((c) => c.id)).not.toContain(id);
  // Signed out: refused too.
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(`/api/conversations/${id}`)).status()).toBe(401);
  expect((await storedConversation(alice, id)).body?.messages).toHaveLength(2);
});

test('an upstream 429 shows a clear message and keeps what the user typed', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await queueSimFault('rate_limit:30', 1); // a wait longer than the server retries for
  await send(page, 'This question must survive a rate limit');
  await expect(thread(page)).toContainText('Kimi is busy for your account tier. Try again in 30 s.');
  await expect(thread(page)).toContainText('This question must survive a rate limit');
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
  const id = await conversationId(page);
  expect(textOf((await storedConversation(page, id)).body?.messages[0])).toBe('This question must survive a rate limit');

  await page.getByRole('button', { name: 'Retry' }).click();
  await waitForAnswer(page);
  await expect(thread(page)).toContainText('You said');
});

test('the Chinese interface renders with translated controls', async ({ browser }) => {
  const page = await newSignedInPage(browser, 'zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', /^zh/);
  await expect(page.getByRole('textbox', { name: '消息' })).toBeVisible();
  await expect(page.getByRole('button', { name: '发送' })).toBeVisible();
  await expect(modelPicker(page, '模型')).toBeVisible();
  await expect(page.getByTitle('未设置 API 密钥', { exact: false })).toContainText('模拟器');
  await page.getByRole('textbox', { name: '消息' }).fill('你好');
  await page.getByRole('button', { name: '发送' }).click();
  await expect(page.getByRole('button', { name: '重新生成' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('log')).toContainText('你好');
});

test('the model picker lists the served models, no retired ones, and is remembered per conversation', async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await modelPicker(page).click();
  const listbox = page.getByRole('listbox', { name: 'Model' });
  for (const id of ['auto', 'kimi-k2.6', 'kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed']) {
    await expect(listbox.locator(`[role="option"][data-model="${id}"]`)).toHaveCount(1);
  }
  // Retired in 2026 (Kimi answers 404): never offered while the endpoint does not list them.
  for (const id of [
    'moonshot-v1-8k',
    'moonshot-v1-32k',
    'moonshot-v1-128k',
    'moonshot-v1-auto',
    'kimi-k2.5',
    'kimi-latest',
    'kimi-k2-turbo-preview',
  ]) {
    await expect(listbox.locator(`[role="option"][data-model="${id}"]`)).toHaveCount(0);
  }
  await page.keyboard.press('Escape');
  await expect(listbox).toBeHidden();
  await pickModel(page, 'kimi-k2.7-code');
  await send(page, 'Hello from the coding model');
  await waitForAnswer(page);
  await expect(page.getByTestId('message-details').last()).toHaveAttribute('data-model', 'kimi-k2.7-code');
  const id = await conversationId(page);
  await page.goto('/');
  await page.goto(`/c/${id}`);
  await expect(page.getByTestId('model-picker-value')).toHaveAttribute('data-model', 'kimi-k2.7-code');
  await expect(composer(page)).toBeVisible();
});

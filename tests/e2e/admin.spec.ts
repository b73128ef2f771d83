// The admin usage page in a real browser against the real server: the first account (the admin) chats
// once and finds that exchange in the totals, the chart and both tables, with the numbers the simulator
// itself logged; a second, normal account is refused. Runs first (alphabetically: keep every other spec's
// name after "admin"), so its user is the instance's first account and the only usage is its own.

import { ADMIN_EMAIL, newSignedInPage, SIM_ORIGIN, send, signUp, waitForAnswer } from './helpers';
import { expect, test } from './test';

interface LoggedRequest {
  path: string;
  model?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

test('the admin sees their chat in the usage page; a normal user is refused', async ({ page, browser }) => {
  await fetch(`${SIM_ORIGIN}/sim/requests`, { method: 'DELETE' });
  const email = await signUp(page, ADMIN_EMAIL);
  await send(page, 'Please reply with 40 tokens');
  await waitForAnswer(page);

  // The answer and its title: every upstream call the simulator billed.
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as LoggedRequest[]).filter((r) => r.path === '/v1/chat/completions' && r.usage)
          .length,
    )
    .toBeGreaterThanOrEqual(2);
  const calls = ((await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as LoggedRequest[]).filter(
    (r) => r.path === '/v1/chat/completions' && r.usage,
  );
  const prompt = calls.reduce((s, r) => s + r.usage!.prompt_tokens, 0);
  const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);

  await page.goto('/admin/usage?range=24h');
  await expect(page.getByRole('heading', { name: 'Usage', exact: true })).toBeVisible();
  await expect(page.getByTestId('total-requests')).toHaveText(fmt(calls.length));
  await expect(page.getByTestId('total-promptTokens')).toHaveText(fmt(prompt));
  await expect(page.locator('svg[role="img"] > title')).toHaveText('Cost (CNY) per day by model');
  await expect(page.locator('svg[role="img"] rect title').first()).toContainText(' · ');

  const byModel = page.getByRole('table', { name: 'By model' });
  for (const model of new Set(calls.map((c) => c.model!))) {
    const row = byModel.getByRole('row').filter({ has: page.getByRole('rowheader', { name: model, exact: true }) });
    const forModel = calls.filter((c) => c.model === model);
    await expect(row.getByRole('cell').nth(0)).toHaveText(fmt(forModel.length));
    await expect(row.getByRole('cell').nth(1)).toHaveText(fmt(forModel.reduce((s, r) => s + r.usage!.prompt_tokens, 0)));
  }
  const byUser = page.getByRole('table', { name: 'By user' });
  const mine = byUser.getByRole('row').filter({ has: page.getByRole('link', { name: email }) });
  await expect(mine.getByRole('cell').nth(0)).toHaveText(fmt(calls.length));
  await expect(mine.getByRole('cell').nth(1)).toHaveText(fmt(prompt));

  const other = await newSignedInPage(browser);
  const refused = await other.goto('/admin/usage');
  expect(refused?.status()).toBe(404);
  await expect(other.getByTestId('total-requests')).toHaveCount(0);
});

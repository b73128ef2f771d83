// Web search in a real browser against the real server and the simulator's `$web_search`: the per-chat toggle
// (off by default, remembered), "Searching the web…" while Kimi searches, the marker on the answer (also after a
// reload), and the ledger: one CSV row per upstream call with its searches and the fee in the cost.

import { parseCsvRecords } from '../support/csv';
import { ADMIN_EMAIL, conversationId, SIM_ORIGIN, send, signUp, waitForAnswer } from './helpers';
import { expect, test } from './test';

interface LoggedRequest {
  path: string;
  stream?: boolean;
  params?: Record<string, unknown>;
  messages?: Array<{ role: string; content?: unknown; name?: string }>;
}

async function searchCalls(): Promise<LoggedRequest[]> {
  const all = (await (await fetch(`${SIM_ORIGIN}/sim/requests`)).json()) as LoggedRequest[];
  return all.filter((r) => r.path === '/v1/chat/completions' && r.stream && Array.isArray(r.params?.tools));
}

test('toggle web search, see the search and its marker, after a reload too; the CSV has the rows and the fee', async ({ page }) => {
  // As the admin (admin.spec's account; the first account when this spec runs alone), to read the CSV export.
  await signUp(page, ADMIN_EMAIL);
  await fetch(`${SIM_ORIGIN}/sim/requests`, { method: 'DELETE' });
  const toggle = page.getByRole('switch', { name: 'Web search' });
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');

  const searching = page.getByText('Searching the web…').waitFor({ timeout: 20_000 });
  await send(page, 'Please search the web 2 times for today’s news');
  await searching;
  const id = await conversationId(page);
  await waitForAnswer(page);
  await expect(page.getByText(/^Searched the web 2 times for/)).toBeVisible();
  await expect(page.getByTestId('web-search-marker')).toHaveText('searched the web, 2 searches');

  // The model received the searches echoed back unchanged (the simulator answers 400 otherwise).
  const calls = await searchCalls();
  expect(calls).toHaveLength(3);
  expect(calls[2]?.messages?.filter((m) => m.role === 'tool' && m.name === '$web_search')).toHaveLength(2);

  await page.reload();
  await expect(page.getByTestId('web-search-marker')).toHaveText('searched the web, 2 searches');
  await expect(page.getByRole('switch', { name: 'Web search' })).toHaveAttribute('aria-checked', 'true');

  const exported = await page.request.get('/api/admin/usage/export');
  expect(exported.ok()).toBe(true);
  const rows = parseCsvRecords(await exported.text()).filter((r) => r.conversation_id === id && r.purpose === 'chat');
  expect(rows.map((r) => r.web_searches)).toEqual(['1', '1', '0']);
  // Each searching call's cost includes the fee (¥0.03 by default in keyless mode).
  for (const row of rows.slice(0, 2)) expect(Number(row.cost)).toBeGreaterThan(0.03);
});

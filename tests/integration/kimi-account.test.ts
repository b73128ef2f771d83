// Balance and Kimi's token-estimate endpoint, against the simulator (api mode: a key is set).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { getBalance, invalidateBalance } from '@/lib/kimi/balance';
import { estimatePromptTokens } from '@/lib/kimi/estimate';
import { countMessageTokens } from '@/lib/kimi/tokenizer';
import { type Simulator, startSimulator } from '@/sim';
import { TEST_KEY, useKimiAt } from '@/tests/support/kimi-env';

let sim: Simulator;
function useApiMode(url: string) {
  process.env.MOONSHOT_API_KEY = TEST_KEY;
  process.env.MOONSHOT_BASE_URL = url;
  resetConfigForProcess();
}

beforeAll(async () => {
  sim = await startSimulator({ balance: 49.58, voucher: 46.58 });
});
afterEach(() => invalidateBalance());
afterAll(async () => {
  delete process.env.MOONSHOT_BASE_URL;
  useKimiAt(undefined, undefined);
  await sim?.close();
});

describe('getBalance', () => {
  it("returns Kimi's balance in the platform currency, cached for a minute", async () => {
    useApiMode(sim.url);
    sim.clearRequests();
    const balance = await getBalance();
    expect(balance?.currency).toBe('CNY');
    expect(balance?.available).toBeCloseTo(49.58, 10);
    expect(balance?.voucher).toBeCloseTo(46.58, 10);
    expect(balance?.cash).toBeCloseTo(3, 10);
    await getBalance();
    expect(sim.requests().filter((r) => r.path === '/v1/users/me/balance')).toHaveLength(1);
  });

  it('null when Kimi is unreachable', async () => {
    useApiMode('http://127.0.0.1:9/v1');
    expect(await getBalance()).toBeNull();
  });
});

describe('estimatePromptTokens', () => {
  const messages = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: [{ type: 'text', text: 'How many tokens is this, exactly?' }] },
  ];

  // Served models only (a retired id is a 404 there); kimi-k2.6 stays uncached for the fallback test below.
  it("asks Kimi's tokenizer once per distinct (model, messages)", async () => {
    useApiMode(sim.url);
    sim.clearRequests();
    const first = await estimatePromptTokens(messages, 'kimi-k3');
    const logged = sim.requests().filter((r) => r.path === '/v1/tokenizers/estimate-token-count');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.model).toBe('kimi-k3');
    expect(logged[0]?.status).toBe(200);
    expect(logged[0]?.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'How many tokens is this, exactly?' },
    ]);
    expect(first).toEqual({ tokens: countMessageTokens(messages), source: 'kimi' });
    expect(await estimatePromptTokens(messages, 'kimi-k3')).toEqual(first);
    expect(await estimatePromptTokens(messages, 'kimi-k2.7-code')).toEqual(first);
    const asked = sim.requests().filter((r) => r.path === '/v1/tokenizers/estimate-token-count');
    expect(asked.map((r) => [r.model, r.status])).toEqual([
      ['kimi-k3', 200],
      ['kimi-k2.7-code', 200],
    ]);
  });

  it('falls back to the local count on error, and uses it alone without a key', async () => {
    useApiMode('http://127.0.0.1:9/v1');
    expect(await estimatePromptTokens(messages, 'kimi-k2.6')).toEqual({ tokens: countMessageTokens(messages), source: 'local' });
    delete process.env.MOONSHOT_BASE_URL;
    useKimiAt(sim.url);
    sim.clearRequests();
    expect(await estimatePromptTokens(messages, 'kimi-k2.6')).toEqual({ tokens: countMessageTokens(messages), source: 'local' });
    expect(sim.requests()).toHaveLength(0);
  });
});

// A whole (unstreamed) answer on node:http, as a new conversation's title asks for one
// (lib/kimi/complete.ts), against the simulator over real HTTP: the answer's text without its reasoning,
// Kimi's own usage and request id, and a timeout reported as a timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { getModel } from '@/lib/kimi/catalog';
import { completeUpstream } from '@/lib/kimi/complete';
import { toAppError } from '@/lib/kimi/errors';
import { callSettings } from '@/lib/kimi/rules';
import { countTokens } from '@/lib/kimi/tokenizer';
import { type Simulator, startSimulator } from '@/sim';

const KEY = 'sk-complete-test-0123456789';

describe('completeUpstream', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ apiKeys: [KEY], tokensPerSecond: 0 });
    Object.assign(process.env, { MOONSHOT_API_KEY: KEY, MOONSHOT_BASE_URL: sim.url });
    resetConfigForProcess();
  });
  afterAll(() => sim?.close());

  const ask = (modelId: string, signal = AbortSignal.timeout(10_000)) =>
    completeUpstream({
      modelId,
      system: 'You write conversation titles.',
      messages: [{ role: 'user', content: 'User: Please reply with 12 tokens' }],
      settings: callSettings(getModel(modelId), { temperature: null, thinking: false, reasoningEffort: 'low' }, 2048),
      signal,
      maxRetries: 1,
    });
  const calls = () => sim.requests().filter((r) => r.path === '/v1/chat/completions');

  it('K3 (always thinking): the answer without its reasoning, and Kimi’s exact usage and request id, asked unstreamed', async () => {
    sim.clearRequests();
    const answer = await ask('kimi-k3');
    const [sent] = calls();
    expect(sent).toMatchObject({ stream: false, model: 'kimi-k3', params: { reasoning_effort: 'low', max_completion_tokens: 2048 } });
    expect(sent!.params).not.toHaveProperty('stream_options');
    const usage = sent!.usage!;
    const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
    expect(reasoning).toBeGreaterThan(0);
    expect(countTokens(answer.text)).toBe(12);
    expect(answer.usage).toMatchObject({
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      outputTokenDetails: { reasoningTokens: reasoning, textTokens: usage.completion_tokens - reasoning },
    });
    expect(answer.requestId).toBe(sent!.id);
  });

  it('a refusal is the provider’s APICallError; a 5xx is retried as asked', async () => {
    sim.clearRequests();
    sim.queueFaults('server_error', 1, 'kimi-k2.6');
    expect(countTokens((await ask('kimi-k2.6')).text)).toBe(12);
    expect(calls().map((r) => r.status)).toEqual([500, 200]);
    sim.clearRequests();
    sim.queueFaults('content_filter', 1, 'kimi-k2.6');
    const refused = await ask('kimi-k2.6').catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'AI_APICallError', statusCode: 400 });
    expect(toAppError(refused).code).toBe('content_filter');
  });

  it('a call that outlives its signal’s timeout fails as a timeout, not as an interruption', async () => {
    sim.queueFaults('slow_first:3000', 1, 'kimi-k2.6');
    const error = await ask('kimi-k2.6', AbortSignal.timeout(300)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(toAppError(error).code).toBe('upstream_timeout');
  });
});

// The AI SDK's Moonshot provider against the simulator: the usage it reports must be exactly what the
// simulator sent (read back from the simulator's request log), in both streaming usage shapes.
import { createMoonshotAI } from '@ai-sdk/moonshotai';
import { generateText, type LanguageModelUsage, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedUsage, type Simulator, startSimulator } from '../../sim';
import { KEY } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

function expectSameUsage(reported: LanguageModelUsage, sent: LoggedUsage | undefined) {
  expect(sent).toBeDefined();
  const s = sent!;
  const reasoning = s.completion_tokens_details?.reasoning_tokens ?? 0;
  expect(reported.inputTokens).toBe(s.prompt_tokens);
  expect(reported.outputTokens).toBe(s.completion_tokens);
  expect(reported.totalTokens).toBe(s.total_tokens);
  expect(reported.inputTokenDetails.cacheReadTokens).toBe(s.cached_tokens);
  expect(reported.inputTokenDetails.noCacheTokens).toBe(s.prompt_tokens - s.cached_tokens);
  expect(reported.cachedInputTokens).toBe(s.cached_tokens);
  expect(reported.outputTokenDetails.reasoningTokens).toBe(reasoning);
  expect(reported.reasoningTokens).toBe(reasoning);
  expect(reported.outputTokenDetails.textTokens).toBe(s.completion_tokens - reasoning);
}

// `model`: each model's recorded shape (kimi-k3 sends the trailing usage chunk, kimi-k2.6 does not).
const cases = [
  ['kimi-k2.6', 'model'],
  ['kimi-k2.6', 'choice+trailing'],
  ['kimi-k3', 'model'],
  ['kimi-k3', 'choice'],
] as const;

describe.each(cases)('@ai-sdk/moonshotai with %s, usage shape %s', (modelId, shape) => {
  const provider = () => createMoonshotAI({ baseURL: sim.url, apiKey: KEY, headers: { 'x-sim-usage-shape': shape } });
  // Each test sends its prompt twice, so the measured call has nonzero cached tokens.
  const prompt = (tag: string) => ({
    system: `You are the ${modelId} ${shape} ${tag} assistant. `.repeat(20),
    messages: [{ role: 'user' as const, content: 'reply with 25 tokens' }],
  });
  const lastLogged = () => sim.requests().at(-1)!;

  it('streamText reports the usage the simulator streamed', async () => {
    await generateText({ model: provider()(modelId), ...prompt('stream') });
    const result = streamText({ model: provider()(modelId), ...prompt('stream') });
    const text = await result.text;
    const usage = await result.usage;
    const logged = lastLogged();
    expect(logged.stream).toBe(true);
    expect(logged.headers['x-sim-usage-shape']).toBe(shape);
    expect(logged.usage!.cached_tokens).toBeGreaterThan(0);
    expect(text.split(' ').length).toBe(25);
    expectSameUsage(usage, logged.usage);
    expect(await result.reasoningText).toMatch(/^Thinking about/);
    expect(logged.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
  });

  it('generateText reports the usage of the JSON reply', async () => {
    await generateText({ model: provider()(modelId), ...prompt('generate') });
    const result = await generateText({ model: provider()(modelId), ...prompt('generate') });
    const logged = lastLogged();
    expect(logged.stream).toBe(false);
    expect(logged.usage!.cached_tokens).toBe(logged.usage!.prompt_tokens);
    expectSameUsage(result.usage, logged.usage);
    expect(logged.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
  });
});

// Legacy-mode model rules (the 2025 catalog): validation, token limits, range temperatures, moonshot-v1-auto
// routing, retired models, estimate endpoint. Today's rules are in contract-current.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessageTokens } from '../../lib/kimi/tokenizer';
import { type Simulator, startSimulator } from '../../sim';
import { chat, KEY, post, user } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog: 'legacy' });
});
afterAll(() => sim.close());

/** A user message of exactly `tokens` prompt tokens (4-letter words cost one token each). */
function promptOf(tokens: number) {
  const messages = user('abcd '.repeat(tokens - 7).trim());
  expect(countMessageTokens(messages)).toBe(tokens);
  return messages;
}

const invalid = (message: string) => ({ error: { message, type: 'invalid_request_error' } });

describe('validation', () => {
  it.each([
    [{ messages: user('x') }, 'Invalid request: model is required'],
    [{ model: 'moonshot-v1-8k' }, 'Invalid request: messages is required'],
    [{ model: 'moonshot-v1-8k', messages: [] }, 'Invalid request: messages: Too small: expected array to have >=1 items'],
    [
      { model: 'moonshot-v1-8k', messages: [{ role: 'robot', content: 'x' }] },
      'Invalid request: messages[0].role: Invalid option: expected one of "system"|"user"|"assistant"|"tool"',
    ],
    [{ model: 'moonshot-v1-8k', messages: user('x'), n: 6 }, 'Invalid request: n must be at most 5 (got 6)'],
    [
      { model: 'moonshot-v1-8k', messages: user('x'), stop: ['a', 'b', 'c', 'd', 'e', 'f'] },
      'Invalid request: stop accepts at most 5 strings (got 6)',
    ],
    [{ model: 'moonshot-v1-8k', messages: user('x'), max_tokens: 0 }, 'Invalid request: max_tokens: Too small: expected number to be >=1'],
  ])('%j → 400', async (body, message) => {
    const { status, json } = await chat(sim, body);
    expect(status).toBe(400);
    expect(json).toEqual(invalid(message));
  });

  it('rejects a body that is not JSON', async () => {
    const response = await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: '{nope' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(invalid('Invalid request: the body is not valid JSON'));
  });

  it('answers retired and unknown models with 404', async () => {
    const { status, json } = await chat(sim, { model: 'kimi-k2-0711-preview', messages: user('x') });
    expect(status).toBe(404);
    expect(json).toEqual({ error: { message: 'Not found the model kimi-k2-0711-preview or Permission denied', type: 'resource_not_found_error' } });
  });
});

describe('token limit', () => {
  it('counts prompt + max_tokens against the window', async () => {
    const messages = promptOf(8000);
    const { status, json } = await chat(sim, { model: 'moonshot-v1-8k', messages, max_tokens: 1120 });
    expect(status).toBe(400);
    expect(json).toEqual(invalid('Invalid request: Your request exceeded model token limit: 8192 (requested: 9120)'));
    const fits = await chat(sim, { model: 'moonshot-v1-8k', messages, max_tokens: 192 });
    expect(fits.status).toBe(200);
  });

  it('checks the prompt alone when max_tokens is absent, and caps the reply at the window', async () => {
    const over = await chat(sim, { model: 'moonshot-v1-8k', messages: promptOf(8193) });
    expect(over.json).toEqual(invalid('Invalid request: Your request exceeded model token limit: 8192 (requested: 8193)'));
    const tight = await chat(sim, { model: 'moonshot-v1-8k', messages: promptOf(8190) });
    expect(tight.json.usage.completion_tokens).toBe(2);
    expect(tight.json.choices[0].finish_reason).toBe('length');
  });
});

describe('temperature', () => {
  it.each([
    ['moonshot-v1-8k', {}, 1.5, 'invalid temperature: must be between 0 and 1'],
    ['moonshot-v1-8k', {}, -0.1, 'invalid temperature: must be between 0 and 1'],
    ['kimi-k2.5', {}, 0.7, 'invalid temperature: only 1 is allowed for this model'],
    ['kimi-k2.6', { thinking: { type: 'disabled' } }, 1, 'invalid temperature: only 0.6 is allowed for this model'],
    ['kimi-k3', {}, 0.5, 'invalid temperature: only 1 is allowed for this model'],
  ])('%s %j temperature %s → 400', async (model, extra, temperature, message) => {
    const { status, json } = await chat(sim, { model, messages: user('t'), temperature, ...extra });
    expect(status).toBe(400);
    expect(json).toEqual(invalid(message));
  });

  it.each([
    ['moonshot-v1-8k', {}, 0.3],
    ['kimi-k2.5', {}, 1],
    ['kimi-k2.5', { thinking: { type: 'disabled' } }, 0.6],
    ['kimi-k2-thinking', {}, 1],
  ])('%s %j temperature %s → 200', async (model, extra, temperature) => {
    expect((await chat(sim, { model, messages: user('t'), temperature, ...extra })).status).toBe(200);
  });
});

describe('moonshot-v1-auto routing', () => {
  it.each([
    [100, 8092, 'moonshot-v1-8k'],
    [100, 8093, 'moonshot-v1-32k'],
    [20_000, 12_768, 'moonshot-v1-32k'],
    [20_000, 12_769, 'moonshot-v1-128k'],
  ])('prompt %i + max_tokens %i → %s', async (prompt, max_tokens, served) => {
    const { status, json } = await chat(sim, { model: 'moonshot-v1-auto', messages: promptOf(prompt), max_tokens });
    expect(status).toBe(200);
    expect(json.model).toBe(served);
  });

  it('over 128k is the token-limit 400 naming 131072', async () => {
    const { status, json } = await chat(sim, { model: 'moonshot-v1-auto', messages: promptOf(130_000), max_tokens: 2000 });
    expect(status).toBe(400);
    expect(json).toEqual(invalid('Invalid request: Your request exceeded model token limit: 131072 (requested: 132000)'));
  });

  it('streams the routed model id', async () => {
    const response = await post(sim, '/chat/completions', { model: 'moonshot-v1-auto', messages: promptOf(9000), stream: true });
    expect(await response.text()).toContain('"model":"moonshot-v1-32k"');
  });
});

describe('estimate-token-count', () => {
  it('equals the prompt_tokens chat usage reports for the same messages', async () => {
    const messages = [
      { role: 'system', content: 'System 提示：请简洁。' },
      { role: 'user', content: [{ type: 'text', text: 'Multi-part 内容 with emoji 😀 and    spaces' }] },
      { role: 'assistant', content: 'Earlier answer.' },
      ...user('How many tokens? 你好世界'),
    ];
    const estimate = await post(sim, '/tokenizers/estimate-token-count', { model: 'kimi-k2.5', messages });
    expect(estimate.status).toBe(200);
    const body = (await estimate.json()) as any;
    expect(body).toEqual({ data: { total_tokens: countMessageTokens(messages as any) } });
    const { json } = await chat(sim, { model: 'kimi-k2.5', messages });
    expect(json.usage.prompt_tokens).toBe(body.data.total_tokens);
  });

  it('validates its body and model', async () => {
    const missing = await post(sim, '/tokenizers/estimate-token-count', { model: 'kimi-k2.5' });
    expect(missing.status).toBe(400);
    const unknown = await post(sim, '/tokenizers/estimate-token-count', { model: 'nope', messages: user('x') });
    expect(unknown.status).toBe(404);
  });
});

// Contract tests: the simulator in its default mode speaks today's Kimi API (shared/kimi-api.md §1), driven over
// real HTTP by the official `openai` client. Every message asserted here is exact.
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_MODELS, type Currency, getModel, RETIRED_MODELS } from '../../lib/kimi/catalog';
import { countMessageTokens, countTokens } from '../../lib/kimi/tokenizer';
import { type Simulator, startSimulator } from '../../sim';
import { MESSAGES } from '../../sim/rules';
import { client, get } from './helpers';

let sim: Simulator;
let openai: OpenAI;
beforeAll(async () => {
  sim = await startSimulator();
  openai = client(sim);
});
afterAll(() => sim.close());

type Msg = { role: 'system' | 'user' | 'assistant'; content: string; partial?: boolean };
const ask = (content: string): Msg[] => [{ role: 'user', content }];

/** Non-streaming create with Kimi-only fields (thinking, partial) passed through as the app sends them. */
function create(body: Record<string, unknown>, headers?: Record<string, string>): Promise<any> {
  return openai.chat.completions.create({ messages: ask('hello'), ...body } as any, headers ? { headers } : undefined);
}

async function createStream(body: Record<string, unknown>, headers?: Record<string, string>): Promise<any[]> {
  const stream = await openai.chat.completions.create({ messages: ask('hello'), ...body, stream: true } as any, headers ? { headers } : undefined);
  const chunks: any[] = [];
  for await (const chunk of stream as any) chunks.push(chunk);
  return chunks;
}

async function failure(body: Record<string, unknown>): Promise<{ status: number; error: unknown }> {
  const error: any = await create(body).then(
    () => undefined,
    (e) => e,
  );
  expect(error, `expected ${JSON.stringify(body).slice(0, 200)} to fail`).toBeDefined();
  return { status: error.status, error: error.error };
}

/** A user message of exactly `tokens` prompt tokens (4-letter words cost one token each). */
function promptOf(tokens: number): Msg[] {
  const messages = ask('abcd '.repeat(tokens - 7).trim());
  expect(countMessageTokens(messages)).toBe(tokens);
  return messages;
}

const delta = (chunks: any[], field: 'content' | 'reasoning_content') => chunks.map((c) => c.choices[0]?.delta?.[field] ?? '').join('');
const invalid = (message: string) => ({ status: 400, error: { message, type: 'invalid_request_error' } });

describe('GET /v1/models', () => {
  it('lists exactly the four current models with Kimi’s fields', async () => {
    const page = await openai.models.list();
    expect(page.data).toEqual(
      CURRENT_MODELS.map((m) => ({
        id: m.id,
        object: 'model',
        created: expect.any(Number),
        owned_by: 'moonshot',
        context_length: m.contextWindow,
        supports_image_in: true,
        supports_video_in: true,
        supports_reasoning: true,
      })),
    );
    expect(page.data.map((m) => m.id)).toEqual(['kimi-k2.6', 'kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed']);
  });

  it('every retired id and an unknown id answer 404 resource_not_found_error', async () => {
    const ids = [...RETIRED_MODELS.map((m) => m.id), 'kimi-k3.1-pro', 'gpt-4o'];
    expect(ids).toContain('moonshot-v1-auto');
    for (const id of ids) {
      expect(await failure({ model: id })).toEqual({
        status: 404,
        error: { message: `Not found the model ${id} or Permission denied`, type: 'resource_not_found_error' },
      });
    }
  });
});

describe('model rules (400 invalid_request_error)', () => {
  const off = { thinking: { type: 'disabled' } };
  const REQUIRED_TOOL = {
    tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
    tool_choice: 'required',
  };
  it.each([
    // fixed sampling: temperature
    ['kimi-k3', { temperature: 0.5 }, 'invalid temperature: only 1 is allowed for this model'],
    ['kimi-k3', { temperature: 0 }, 'invalid temperature: only 1 is allowed for this model'],
    ['kimi-k2.7-code', { temperature: 0.6 }, 'invalid temperature: only 1 is allowed for this model'],
    ['kimi-k2.7-code-highspeed', { temperature: 0.2 }, 'invalid temperature: only 1 is allowed for this model'],
    ['kimi-k2.6', { temperature: 0.6 }, 'invalid temperature: only 1 is allowed for this model'],
    ['kimi-k2.6', { ...off, temperature: 1 }, 'invalid temperature: only 0.6 is allowed for this model'],
    // fixed sampling: the other pinned parameters (wording unconfirmed)
    ['kimi-k3', { top_p: 0.5 }, 'invalid top_p: only 0.95 is allowed for this model'],
    ['kimi-k2.6', { presence_penalty: 0.5 }, 'invalid presence_penalty: only 0 is allowed for this model'],
    ['kimi-k2.7-code', { frequency_penalty: 1 }, 'invalid frequency_penalty: only 0 is allowed for this model'],
    ['kimi-k3', { n: 2 }, 'invalid n: only 1 is allowed for this model'],
    ['kimi-k2.6', { n: 3 }, 'invalid n: only 1 is allowed for this model'],
    // thinking is always on except on K2.6
    ['kimi-k3', off, 'invalid thinking: only type=enabled is allowed for this model'],
    ['kimi-k2.7-code', off, 'invalid thinking: only type=enabled is allowed for this model'],
    ['kimi-k2.7-code-highspeed', off, 'invalid thinking: only type=enabled is allowed for this model'],
    // reasoning_effort: K3 only, low | high | max, never with thinking
    ['kimi-k2.6', { reasoning_effort: 'high' }, 'invalid reasoning_effort: reasoning_effort is not supported for this model'],
    ['kimi-k2.7-code', { reasoning_effort: 'low' }, 'invalid reasoning_effort: reasoning_effort is not supported for this model'],
    ['kimi-k3', { reasoning_effort: 'medium' }, 'invalid reasoning_effort: only low, high, max are allowed for this model'],
    [
      'kimi-k3',
      { reasoning_effort: 'high', thinking: { type: 'enabled' } },
      'Invalid request: thinking and reasoning_effort cannot be used together',
    ],
    // tool_choice "required": K3 only; K2.6 with thinking and K2.7 refuse (wording unconfirmed)
    ['kimi-k2.6', REQUIRED_TOOL, MESSAGES.toolChoiceRequired],
    ['kimi-k2.7-code', REQUIRED_TOOL, MESSAGES.toolChoiceRequired],
  ])('%s %j → %s', async (model, extra, message) => {
    expect(await failure({ model, ...extra })).toEqual(invalid(message));
  });

  it.each([
    ['kimi-k3', {}],
    ['kimi-k3', { temperature: 1, top_p: 0.95, n: 1, presence_penalty: 0, frequency_penalty: 0 }],
    ['kimi-k3', { thinking: { type: 'enabled' } }],
    ['kimi-k3', { reasoning_effort: 'low' }],
    ['kimi-k2.6', { temperature: 1 }],
    ['kimi-k2.6', { thinking: { type: 'enabled' }, temperature: 1 }],
    ['kimi-k2.6', { thinking: { type: 'disabled' }, temperature: 0.6 }],
    ['kimi-k2.7-code', { thinking: { type: 'enabled' }, temperature: 1 }],
    ['kimi-k2.7-code-highspeed', {}],
    ['kimi-k3', REQUIRED_TOOL],
    ['kimi-k2.6', { ...off, ...REQUIRED_TOOL }],
  ])('%s %j → 200', async (model, extra) => {
    const completion = await create({ model, ...extra });
    expect(completion.model).toBe(model);
    expect(completion.choices[0].finish_reason).toBe('stop');
  });

  it('thinking: K2.6 reasons by default and not when disabled; the others always reason', async () => {
    for (const model of ['kimi-k2.6', 'kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed']) {
      expect((await create({ model })).choices[0].message.reasoning_content).toMatch(/^Thinking about: "hello"/);
    }
    const off = await create({ model: 'kimi-k2.6', thinking: { type: 'disabled' } });
    expect(off.choices[0].message.reasoning_content).toBeUndefined();
    expect(off.usage.completion_tokens_details).toEqual({ reasoning_tokens: 0 });
  });

  it('reasoning_effort: low < high < max, and an omitted effort is max', async () => {
    const reasoning = async (extra: Record<string, unknown>) => {
      const completion = await create({ model: 'kimi-k3', messages: ask('effort'), ...extra });
      expect(completion.usage.completion_tokens_details.reasoning_tokens).toBe(countTokens(completion.choices[0].message.reasoning_content));
      return completion.usage.completion_tokens_details.reasoning_tokens as number;
    };
    const [low, high, max, omitted] = [
      await reasoning({ reasoning_effort: 'low' }),
      await reasoning({ reasoning_effort: 'high' }),
      await reasoning({ reasoning_effort: 'max' }),
      await reasoning({}),
    ];
    expect(low).toBeLessThan(high);
    expect(high).toBeLessThan(max);
    expect(omitted).toBe(max);
  });
});

describe('answer budget and the context window', () => {
  it.each([
    ['kimi-k2.6', 262_144, 262_000, { max_completion_tokens: 1000 }, 263_000],
    ['kimi-k2.7-code', 262_144, 262_000, { max_tokens: 145 }, 262_145],
    ['kimi-k2.6', 262_144, 262_145, {}, 262_145],
  ])('%s: prompt %i + %j over the window → the token-limit 400', async (model, window, prompt, budget, requested) => {
    expect(await failure({ model, messages: promptOf(prompt), ...budget })).toEqual(
      invalid(`Invalid request: Your request exceeded model token limit: ${window} (requested: ${requested})`),
    );
  });

  it('prompt + max_completion_tokens exactly at the window is accepted', async () => {
    const completion = await create({ model: 'kimi-k2.6', messages: promptOf(262_000), max_completion_tokens: 144, thinking: { type: 'disabled' } });
    expect(completion.choices[0].finish_reason).toBe('stop');
  });

  it.each([
    ['kimi-k2.6', 40_000, 32_768],
    ['kimi-k2.7-code-highspeed', 33_000, 32_768],
    ['kimi-k3', 140_000, 131_072],
  ])('%s without a budget stops at the catalog default (%i tokens asked → %i)', async (model, asked, budget) => {
    expect(getModel(model).defaultMaxTokens).toBe(budget);
    const completion = await create({ model, messages: ask(`reply with ${asked} tokens`) });
    expect(completion.usage.completion_tokens).toBe(budget);
    expect(completion.choices[0].finish_reason).toBe('length');
    const { reasoning_content, content } = completion.choices[0].message;
    expect(countTokens(reasoning_content) + countTokens(content)).toBe(budget);
  });

  it('an omitted budget is capped at window − prompt', async () => {
    const completion = await create({ model: 'kimi-k2.6', messages: promptOf(262_124) });
    expect(completion.usage.completion_tokens).toBe(20);
    expect(completion.choices[0].finish_reason).toBe('length');
  });

  it('reasoning eats a small budget first: empty answer, finish_reason length (streamed too)', async () => {
    for (const budget of [{ max_completion_tokens: 30 }, { max_tokens: 30 }]) {
      const completion = await create({ model: 'kimi-k3', ...budget });
      expect(completion.choices[0].message.content).toBe('');
      expect(countTokens(completion.choices[0].message.reasoning_content)).toBe(30);
      expect(completion.usage.completion_tokens_details.reasoning_tokens).toBe(30);
      expect(completion.choices[0].finish_reason).toBe('length');
    }
    const low = await create({ model: 'kimi-k3', reasoning_effort: 'low', messages: ask('reply with 100 tokens') });
    const reasoningTokens = low.usage.completion_tokens_details.reasoning_tokens as number;
    const chunks = await createStream({
      model: 'kimi-k3',
      reasoning_effort: 'low',
      messages: ask('reply with 100 tokens'),
      max_completion_tokens: reasoningTokens + 10,
    });
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish.choices[0].finish_reason).toBe('length');
    expect(countTokens(delta(chunks, 'content'))).toBe(10);
    expect(finish.choices[0].usage.completion_tokens).toBe(reasoningTokens + 10);
  });
});

describe('stream shape', () => {
  it('kimi-k3: role chunk, reasoning ending with an empty delta, content, usage in the choice, then the same usage in a trailing chunk', async () => {
    const messages = [{ role: 'system', content: 'The K3 stream-shape test.' }, ...ask('reply with 12 tokens')];
    const chunks = await createStream({ model: 'kimi-k3', messages, stream_options: { include_usage: true } });
    const [first] = chunks;
    expect(first.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    const kinds = chunks.map((c) => {
      const choice = c.choices[0];
      if (!choice) return 'T';
      if (choice.finish_reason) return 'F';
      if ('role' in choice.delta) return 'R';
      return 'reasoning_content' in choice.delta ? 'r' : 'c';
    });
    expect(kinds.join('')).toMatch(/^Rr+c+FT$/);
    const reasoningDeltas = chunks
      .filter((c) => c.choices[0]?.delta && 'reasoning_content' in c.choices[0].delta)
      .map((c) => c.choices[0].delta.reasoning_content);
    expect(reasoningDeltas.at(-1)).toBe('');
    expect(reasoningDeltas.slice(0, -1).every((r: string) => r.length > 0)).toBe(true);

    const finish = chunks.at(-2);
    const trailing = chunks.at(-1);
    expect(finish.choices[0].delta).toEqual({});
    expect(finish.choices[0].finish_reason).toBe('stop');
    expect(finish.usage ?? undefined).toBeUndefined();
    expect(trailing.choices).toEqual([]);
    expect(trailing.usage).toEqual(finish.choices[0].usage);

    const reasoning = delta(chunks, 'reasoning_content');
    const content = delta(chunks, 'content');
    expect(countTokens(content)).toBe(12);
    const prompt = countMessageTokens(messages as any);
    // Counted once: the usage covers this reply's tokens exactly once, and the log holds that one usage.
    expect(trailing.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: countTokens(reasoning) + 12,
      total_tokens: prompt + countTokens(reasoning) + 12,
      cached_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: countTokens(reasoning) },
    });
    expect(sim.requests().at(-1)!.usage).toEqual(trailing.usage);
  });

  it.each(['kimi-k2.6', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed'])('%s: usage only inside the finishing choice', async (model) => {
    const chunks = await createStream({ model });
    const finish = chunks.at(-1);
    expect(finish.choices[0].finish_reason).toBe('stop');
    expect(finish.choices[0].usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(chunks.filter((c) => c.choices.length === 0 || c.usage)).toEqual([]);
    const reasoningDeltas = chunks.filter((c) => c.choices[0]?.delta && 'reasoning_content' in c.choices[0].delta);
    expect(reasoningDeltas.at(-1).choices[0].delta.reasoning_content).toBe('');
  });

  it('x-sim-usage-shape overrides the per-model shape both ways', async () => {
    const k3 = await createStream({ model: 'kimi-k3' }, { 'x-sim-usage-shape': 'choice' });
    expect(k3.at(-1).choices[0].finish_reason).toBe('stop');
    const k26 = await createStream({ model: 'kimi-k2.6' }, { 'x-sim-usage-shape': 'choice+trailing' });
    expect(k26.at(-1).choices).toEqual([]);
    expect(k26.at(-1).usage).toEqual(k26.at(-2).choices[0].usage);
  });

  it('cached_tokens sits at the root and in prompt_tokens_details on a repeat', async () => {
    const messages = [{ role: 'system', content: 'Cache me. '.repeat(40) }, ...ask('again')];
    await create({ model: 'kimi-k3', messages });
    const chunks = await createStream({ model: 'kimi-k3', messages });
    const usage = chunks.at(-1).usage;
    expect(usage.cached_tokens).toBe(usage.prompt_tokens);
    expect(usage.prompt_tokens_details).toEqual({ cached_tokens: usage.prompt_tokens });
  });

  it('the balance is charged once per streamed completion, despite the trailing usage chunk', async () => {
    const usd = await startSimulator({ currency: 'USD', balance: 5, voucher: 0 });
    try {
      const chunks = await createStreamOn(usd, { model: 'kimi-k3', messages: ask('reply with 500 tokens') });
      const usage = chunks.at(-1).usage;
      const rates = getModel('kimi-k3').prices.USD!;
      const cost = (usage.prompt_tokens * rates.input + usage.completion_tokens * rates.output) / 1e6;
      const balance = (await (await get(usd, '/users/me/balance')).json()) as any;
      expect(balance.data.available_balance).toBeCloseTo(5 - cost, 12);
    } finally {
      await usd.close();
    }
  });
});

async function createStreamOn(target: Simulator, body: Record<string, unknown>): Promise<any[]> {
  const stream = await client(target).chat.completions.create({ ...body, stream: true } as any);
  const chunks: any[] = [];
  for await (const chunk of stream as any) chunks.push(chunk);
  return chunks;
}

describe('cut-off answers and partial-mode continuation', () => {
  it('"reply with 300 tokens; cut off after 200 tokens" → 200 tokens (length), continued → the other 100 (stop), reasoning each time', async () => {
    const full = (await create({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, messages: ask('reply with 300 tokens') })).choices[0].message
      .content as string;
    expect(countTokens(full)).toBe(300);
    const question = ask('reply with 300 tokens; cut off after 200 tokens');

    const first = await create({ model: 'kimi-k3', messages: question });
    const cut = first.choices[0].message;
    expect(first.choices[0].finish_reason).toBe('length');
    expect(countTokens(cut.content)).toBe(200);
    expect(full.startsWith(cut.content)).toBe(true);
    expect(cut.reasoning_content).toMatch(/^Thinking about/);

    const chunks = await createStream({ model: 'kimi-k3', messages: [...question, { role: 'assistant', content: cut.content, partial: true }] });
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish.choices[0].finish_reason).toBe('stop');
    expect(delta(chunks, 'reasoning_content')).toMatch(/^Thinking about/);
    const rest = delta(chunks, 'content');
    expect(countTokens(rest)).toBe(100);
    expect(cut.content + rest).toBe(full);
    expect(finish.choices[0].usage.completion_tokens).toBe(countTokens(delta(chunks, 'reasoning_content')) + 100);
  });

  it('continues in N-token steps until the answer is complete', async () => {
    const question = ask('reply with 250 tokens; cut off after 100 tokens');
    let answer = '';
    const steps: Array<[number, string]> = [];
    for (let i = 0; i < 5; i++) {
      const messages = answer ? [...question, { role: 'assistant', content: answer, partial: true }] : question;
      const completion = await create({ model: 'kimi-k2.7-code', messages });
      const piece = completion.choices[0].message.content as string;
      steps.push([countTokens(piece), completion.choices[0].finish_reason]);
      answer += piece;
      if (completion.choices[0].finish_reason === 'stop') break;
    }
    expect(steps).toEqual([
      [100, 'length'],
      [100, 'length'],
      [50, 'stop'],
    ]);
    expect(countTokens(answer)).toBe(250);
  });
});

describe('content filter', () => {
  it('"trigger content filter" → 400 content_filter', async () => {
    expect(await failure({ model: 'kimi-k3', messages: ask('please trigger content filter now') })).toEqual({
      status: 400,
      error: { message: 'The request was rejected because it was considered high risk', type: 'content_filter' },
    });
  });

  it('"filter the answer after N tokens" ends the answer with finish_reason content_filter', async () => {
    const chunks = await createStream({ model: 'kimi-k2.6', messages: ask('reply with 80 tokens; filter the answer after 30 tokens') });
    expect(countTokens(delta(chunks, 'content'))).toBe(30);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('content_filter');
    const completion = await create({ model: 'kimi-k3', messages: ask('reply with 80 tokens; filter the answer after 30 tokens') });
    expect(countTokens(completion.choices[0].message.content)).toBe(30);
    expect(completion.choices[0].finish_reason).toBe('content_filter');
  });
});

describe('balance: the catalog’s prices in the simulator’s currency', () => {
  it.each(['CNY', 'USD'] as Currency[])('%s: each model costs its catalog rates (K3 included)', async (currency) => {
    const priced = await startSimulator({ currency, balance: 100, voucher: 100 });
    try {
      const available = async () => ((await (await get(priced, '/users/me/balance')).json()) as any).data.available_balance as number;
      let expected = 100;
      for (const model of CURRENT_MODELS.map((m) => m.id)) {
        const completion = await client(priced).chat.completions.create({ model, messages: [{ role: 'user', content: 'reply with 200 tokens' }] });
        const rates = getModel(model).prices[currency]!;
        const u = completion.usage!;
        expected -= (u.prompt_tokens * rates.input + u.completion_tokens * rates.output) / 1e6;
        expect(await available()).toBeCloseTo(expected, 12);
      }
      expect(100 - expected).toBeGreaterThan(0);
    } finally {
      await priced.close();
    }
  });
});

describe('legacy catalog', () => {
  let legacy: Simulator;
  beforeAll(async () => {
    legacy = await startSimulator({ catalog: 'legacy' });
  });
  afterAll(() => legacy.close());

  it('still routes moonshot-v1-auto to the smallest window that fits', async () => {
    const old = client(legacy);
    const small = await old.chat.completions.create({ model: 'moonshot-v1-auto', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000 });
    expect(small.model).toBe('moonshot-v1-8k');
    const big = await old.chat.completions.create({ model: 'moonshot-v1-auto', messages: [{ role: 'user', content: 'hi' }], max_tokens: 9000 });
    expect(big.model).toBe('moonshot-v1-32k');
  });

  it('keeps the 2025 404s and knows no K2.7', async () => {
    for (const id of ['kimi-k2-0711-preview', 'kimi-k2-thinking-turbo', 'kimi-k2.7-code']) {
      const error: any = await client(legacy)
        .chat.completions.create({ model: id, messages: [{ role: 'user', content: 'x' }] })
        .catch((e) => e);
      expect(error.status).toBe(404);
      expect(error.error).toEqual({ message: `Not found the model ${id} or Permission denied`, type: 'resource_not_found_error' });
    }
  });
});

// Contract tests for POST /v1/chat/completions: shapes, streaming, thinking, usage, caching and reply rules.
// Today's catalog (the default); `PLAIN` (kimi-k2.6 with thinking off) gives replies without reasoning.
// Today's model rules are in contract-current.test.ts; the 2025 behaviour that changed is under 'legacy catalog'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessageTokens, countTokens } from '../../lib/kimi/tokenizer';
import { type Simulator, startSimulator } from '../../sim';
import { chat, client, joined, post, readSse, stream, user } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, chunkTokens: 2 });
});
afterAll(() => sim.close());

const SYSTEM = { role: 'system', content: 'You are terse. Answer in English.' };
const PLAIN = { model: 'kimi-k2.6', thinking: { type: 'disabled' } } as const;
const NO_DETAILS = { prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };

describe('non-streaming', () => {
  it('returns the deterministic default reply in Kimi’s exact shape', async () => {
    const messages = [SYSTEM, ...user('Hello, Kimi!')];
    const { status, headers, json } = await chat(sim, { ...PLAIN, messages });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('msh-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.get('server-timing')).toMatch(/^total;dur=\d/);
    const content = `You said: "Hello, Kimi!". I received 2 messages and ${SYSTEM.content.length} characters of system context.`;
    expect(json).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'kimi-k2.6',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: countMessageTokens(messages as any),
        completion_tokens: countTokens(content),
        total_tokens: countMessageTokens(messages as any) + countTokens(content),
        cached_tokens: 0,
        ...NO_DETAILS,
      },
    });
    expect(Math.abs(json.created - Date.now() / 1000)).toBeLessThan(5);
  });

  it('gives every response a unique Msh-Request-Id', async () => {
    const ids = await Promise.all([1, 2, 3].map(async (i) => (await chat(sim, { ...PLAIN, messages: user(`r${i}`) })).headers.get('msh-request-id')));
    expect(new Set(ids).size).toBe(3);
  });

  it('truncates the echoed user message to 200 characters', async () => {
    const long = 'x'.repeat(500);
    const { json } = await chat(sim, { ...PLAIN, messages: user(long) });
    expect(json.choices[0].message.content).toBe(`You said: "${'x'.repeat(200)}". I received 1 messages and 0 characters of system context.`);
  });

  it('"reply with N tokens" gives exactly N tokens; max_tokens and max_completion_tokens cap with finish_reason length', async () => {
    const full = await chat(sim, { ...PLAIN, messages: user('Please REPLY WITH 57 tokens') });
    expect(countTokens(full.json.choices[0].message.content)).toBe(57);
    expect(full.json.usage.completion_tokens).toBe(57);
    expect(full.json.choices[0].finish_reason).toBe('stop');
    for (const cap of [{ max_tokens: 20 }, { max_completion_tokens: 20 }]) {
      const { json } = await chat(sim, { ...PLAIN, messages: user('reply with 57 tokens'), ...cap });
      expect(countTokens(json.choices[0].message.content)).toBe(20);
      expect(json.usage.completion_tokens).toBe(20);
      expect(json.choices[0].finish_reason).toBe('length');
    }
  });

  it('thinking models return reasoning_content and count reasoning tokens in completion_tokens', async () => {
    const { json } = await chat(sim, { model: 'kimi-k2.6', messages: user('Why is the sky blue?') });
    const { content, reasoning_content } = json.choices[0].message;
    expect(reasoning_content).toMatch(/^Thinking about: "Why is the sky blue\?"/);
    expect(json.usage.completion_tokens_details).toEqual({ reasoning_tokens: countTokens(reasoning_content) });
    expect(json.usage.completion_tokens).toBe(countTokens(reasoning_content) + countTokens(content));
  });

  it('thinking: disabled turns reasoning off on kimi-k2.6', async () => {
    const off = await chat(sim, { model: 'kimi-k2.6', messages: user('hi'), thinking: { type: 'disabled' }, temperature: 0.6 });
    expect(off.status).toBe(200);
    expect(off.json.choices[0].message.reasoning_content).toBeUndefined();
    expect(off.json.usage.completion_tokens_details).toEqual({ reasoning_tokens: 0 });
  });

  it('a small max_tokens is spent on reasoning first', async () => {
    const { json } = await chat(sim, { model: 'kimi-k2.7-code', messages: user('hi'), max_tokens: 5 });
    expect(json.choices[0].message.content).toBe('');
    expect(countTokens(json.choices[0].message.reasoning_content)).toBe(5);
    expect(json.usage.completion_tokens).toBe(5);
    expect(json.usage.completion_tokens_details.reasoning_tokens).toBe(5);
    expect(json.choices[0].finish_reason).toBe('length');
  });

  it('stop truncates the content at the first stop string', async () => {
    const { json } = await chat(sim, { ...PLAIN, messages: user('abc'), stop: ['received', 'zzz'] });
    expect(json.choices[0].message.content).toBe('You said: "abc". I ');
    expect(json.choices[0].finish_reason).toBe('stop');
  });

  it('response_format json_object replies with a JSON object', async () => {
    const { json } = await chat(sim, { ...PLAIN, messages: user('give json'), response_format: { type: 'json_object' } });
    expect(JSON.parse(json.choices[0].message.content)).toEqual({
      reply: 'You said: "give json". I received 1 messages and 0 characters of system context.',
    });
  });

  it('tools: "call tool NAME with {json}" returns a tool call for a declared tool only', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const called = await chat(sim, { ...PLAIN, tools, messages: user('call tool get_weather with {"city": "Beijing"}') });
    expect(called.json.choices[0].finish_reason).toBe('tool_calls');
    expect(called.json.choices[0].message.tool_calls).toEqual([
      { index: 0, id: 'get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Beijing"}' } },
    ]);
    const undeclared = await chat(sim, { ...PLAIN, tools, messages: user('call tool other with {"a":1}') });
    expect(undeclared.json.choices[0].finish_reason).toBe('stop');
    expect(undeclared.json.choices[0].message.tool_calls).toBeUndefined();
    const result = await chat(sim, {
      ...PLAIN,
      tools,
      messages: [
        ...user('call tool get_weather with {}'),
        { role: 'assistant', content: '' },
        { role: 'tool', content: 'sunny', tool_call_id: 'get_weather:0' },
      ],
    });
    expect(result.json.choices[0].message.content).toBe('Tool result received: "sunny".');
  });

  it('partial assistant prefill: the reply continues after the prefill', async () => {
    const { json } = await chat(sim, { ...PLAIN, messages: [...user('hey'), { role: 'assistant', content: 'You said: "', partial: true }] });
    expect(json.choices[0].message.content).toBe('hey". I received 2 messages and 0 characters of system context.');
  });
});

describe('streaming (raw fetch + own SSE parser)', () => {
  it('streams role chunk, small content chunks, usage inside the final choice, then [DONE]', async () => {
    const messages = [{ role: 'system', content: 'A system prompt no other test sends.' }, ...user('Stream me a reply')];
    const started = performance.now();
    const response = await post(sim, '/chat/completions', { ...PLAIN, messages, stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('msh-request-id')).toBeTruthy();
    const s = await readSse(response, started);
    const reference = (await chat(sim, { ...PLAIN, messages })).json;
    expect(s.done).toBe(true);
    expect(s.raw.at(-1)).toBe('[DONE]');
    const [first, ...rest] = s.events;
    expect(first.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    for (const e of s.events) {
      expect(e).toMatchObject({ id: first.id, object: 'chat.completion.chunk', created: first.created, model: 'kimi-k2.6' });
      expect(e.usage).toBeUndefined();
    }
    const last = rest.at(-1);
    const contentChunks = rest.slice(0, -1);
    for (const e of contentChunks) {
      const n = countTokens(e.choices[0].delta.content);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(3);
    }
    expect(joined(s.events, 'content')).toBe(reference.choices[0].message.content);
    const content = reference.choices[0].message.content;
    const prompt = countMessageTokens(messages as any);
    expect(last.choices).toEqual([
      {
        index: 0,
        delta: {},
        finish_reason: 'stop',
        usage: {
          prompt_tokens: prompt,
          completion_tokens: countTokens(content),
          total_tokens: prompt + countTokens(content),
          cached_tokens: 0,
          ...NO_DETAILS,
        },
      },
    ]);
    // the non-streaming repeat hit the cache the stream filled
    expect(reference.usage.cached_tokens).toBe(prompt);
  });

  it('usage shape choice+trailing (header or option) adds {"choices":[],"usage"} after the finish chunk', async () => {
    const viaHeader = await stream(sim, { model: 'kimi-k2.6', messages: user('trailing') }, { 'x-sim-usage-shape': 'choice+trailing' });
    const other = await startSimulator({ usageShape: 'choice+trailing' });
    try {
      const viaOption = await stream(other, { model: 'kimi-k2.6', messages: user('trailing') });
      for (const s of [viaHeader, viaOption]) {
        const finish = s.events.at(-2);
        const trailing = s.events.at(-1);
        expect(finish.choices[0].finish_reason).toBe('stop');
        expect(trailing.choices).toEqual([]);
        expect(trailing.usage).toEqual(finish.choices[0].usage);
        expect(trailing.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
        expect(s.raw.at(-1)).toBe('[DONE]');
      }
    } finally {
      await other.close();
    }
  });

  it('thinking models stream reasoning_content before content, matching reasoning_tokens', async () => {
    const s = await stream(sim, { model: 'kimi-k2.6', messages: user('think first') });
    const kinds = s.events.slice(1, -1).map((e) => ('reasoning_content' in e.choices[0].delta ? 'r' : 'c'));
    expect(kinds.join('')).toMatch(/^r+c+$/);
    const reasoning = joined(s.events, 'reasoning_content');
    const usage = s.events.at(-1).choices[0].usage;
    expect(usage.completion_tokens_details.reasoning_tokens).toBe(countTokens(reasoning));
    expect(usage.completion_tokens).toBe(countTokens(reasoning) + countTokens(joined(s.events, 'content')));
  });

  it('streams tool calls as fragments ending with finish_reason tool_calls', async () => {
    const tools = [{ type: 'function', function: { name: 'search' } }];
    const s = await stream(sim, { ...PLAIN, tools, messages: user('call tool search with {"query": "kimi api", "limit": 3}') });
    const calls = s.events.flatMap((e) => e.choices[0]?.delta?.tool_calls ?? []);
    expect(calls[0]).toEqual({ index: 0, id: 'search:0', type: 'function', function: { name: 'search', arguments: '' } });
    expect(calls.map((c: any) => c.function.arguments).join('')).toBe('{"query":"kimi api","limit":3}');
    expect(s.events.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('chunkTokens option sets the chunk size', async () => {
    const one = await startSimulator({ chunkTokens: 1 });
    try {
      const s = await stream(one, { ...PLAIN, messages: user('reply with 30 tokens') });
      expect(s.events.length).toBe(1 + 30 + 1);
    } finally {
      await one.close();
    }
  });
});

describe('context caching', () => {
  it('reports the longest previously seen whole-message prefix as cached_tokens, per key', async () => {
    const first = [SYSTEM, ...user('Cache test: first question')];
    const a = await chat(sim, { model: 'kimi-k3', messages: first });
    expect(a.json.usage.cached_tokens).toBe(0);
    expect(a.json.usage.prompt_tokens_details).toEqual({ cached_tokens: 0 });
    const second = [...first, { role: 'assistant', content: a.json.choices[0].message.content }, ...user('second question')];
    const b = await chat(sim, { model: 'kimi-k3', messages: second });
    const cached = countMessageTokens(first as any);
    expect(b.json.usage.cached_tokens).toBe(cached);
    expect(b.json.usage.prompt_tokens_details).toEqual({ cached_tokens: cached });
    const again = await chat(sim, { model: 'kimi-k3', messages: second });
    expect(again.json.usage.cached_tokens).toBe(again.json.usage.prompt_tokens);
    const otherKey = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-another-key-9999', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'kimi-k3', messages: second }),
    });
    expect(((await otherKey.json()) as any).usage.cached_tokens).toBe(0);
  });

  it('streams cached tokens in the usage inside the choice', async () => {
    const messages = [SYSTEM, ...user('streamed cache')];
    await stream(sim, { model: 'kimi-k2.7-code', messages });
    const s = await stream(sim, { model: 'kimi-k2.7-code', messages });
    const usage = s.events.at(-1).choices[0].usage;
    expect(usage.cached_tokens).toBe(usage.prompt_tokens);
    expect(usage.prompt_tokens_details).toEqual({ cached_tokens: usage.prompt_tokens });
  });
});

describe('official openai client', () => {
  it('creates completions and streams with usage inside choices[0]', async () => {
    const openai = client(sim);
    const completion = await openai.chat.completions.create({ model: 'kimi-k2.6', messages: [{ role: 'user', content: 'from openai' }] });
    expect(completion.choices[0]?.message.content).toBe('You said: "from openai". I received 1 messages and 0 characters of system context.');
    expect((completion.choices[0]?.message as unknown as { reasoning_content?: string } | undefined)?.reasoning_content).toMatch(/^Thinking about/);

    const chunks = [];
    const streamed = await openai.chat.completions.create({
      model: 'kimi-k2.6',
      messages: [{ role: 'user', content: 'from openai' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of streamed) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(completion.choices[0]?.message.content);
    const last = chunks.at(-1)!;
    expect(last.usage ?? undefined).toBeUndefined();
    expect((last.choices[0] as any).usage).toEqual({
      ...completion.usage,
      cached_tokens: completion.usage!.prompt_tokens,
      prompt_tokens_details: { cached_tokens: completion.usage!.prompt_tokens },
    });
  });

  it('surfaces Kimi errors as APIError with status and type', async () => {
    const openai = client(sim);
    const error: any = await openai.chat.completions
      .create({ model: 'kimi-k2-0711-preview', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(error.status).toBe(404);
    expect(error.error).toEqual({ message: 'Not found the model kimi-k2-0711-preview or Permission denied', type: 'resource_not_found_error' });
    const bad = new (await import('openai')).default({ baseURL: sim.url, apiKey: ' ', maxRetries: 0 });
    const unauth: any = await bad.models.list().catch((e) => e);
    expect(unauth.status).toBe(401);
  });
});

describe('legacy catalog (2025 behaviour)', () => {
  let legacy: Simulator;
  beforeAll(async () => {
    legacy = await startSimulator({ catalog: 'legacy' });
  });
  afterAll(() => legacy.close());

  it('plain models answer without usage details, in the old shape', async () => {
    const { json } = await chat(legacy, { model: 'moonshot-v1-8k', messages: user('old') });
    expect(json.model).toBe('moonshot-v1-8k');
    expect(json.usage).toEqual({
      prompt_tokens: json.usage.prompt_tokens,
      completion_tokens: json.usage.completion_tokens,
      total_tokens: json.usage.total_tokens,
      cached_tokens: 0,
    });
  });

  it('always-thinking models ignored thinking: disabled', async () => {
    for (const model of ['kimi-k2-thinking', 'kimi-k3']) {
      const on = await chat(legacy, { model, messages: user('hi'), thinking: { type: 'disabled' } });
      expect(on.status).toBe(200);
      expect(on.json.choices[0].message.reasoning_content).toMatch(/^Thinking about/);
    }
  });

  it('n returns that many choices and bills each', async () => {
    const { json } = await chat(legacy, { model: 'moonshot-v1-8k', messages: user('reply with 7 tokens'), n: 3 });
    expect(json.choices.map((c: any) => c.index)).toEqual([0, 1, 2]);
    expect(json.usage.completion_tokens).toBe(21);
  });

  it('streams no empty reasoning delta and no trailing usage chunk, even for kimi-k3', async () => {
    const s = await stream(legacy, { model: 'kimi-k3', messages: user('legacy stream') });
    const reasoning = s.events.map((e) => e.choices[0]?.delta?.reasoning_content).filter((r) => r !== undefined);
    expect(reasoning.length).toBeGreaterThan(0);
    expect(reasoning).not.toContain('');
    expect(s.events.at(-1).choices[0].finish_reason).toBe('stop');
    expect(s.events.at(-1).choices[0].usage).toBeDefined();
  });
});

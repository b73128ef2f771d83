// Contract: Kimi's built-in `$web_search` round trip (shared/kimi-api.md "Web search"), driven by the official
// `openai` client: the builtin tool call, the echo check, the thinking option and the reasoning_content rule.
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessageTokens } from '../../lib/kimi/tokenizer';
import { type Simulator, startSimulator } from '../../sim';
import { searchArguments, WEB_SEARCH_MESSAGES } from '../../sim/web-search';
import { client } from './helpers';

let sim: Simulator;
let openai: OpenAI;
let accepting: Simulator;
let openaiAccepting: OpenAI;
beforeAll(async () => {
  sim = await startSimulator();
  openai = client(sim);
  accepting = await startSimulator({ webSearchThinking: 'accept' });
  openaiAccepting = client(accepting);
});
afterAll(async () => {
  await sim.close();
  await accepting.close();
});

const SEARCH_TOOL = { type: 'builtin_function', function: { name: '$web_search' } };
const NO_THINKING = { model: 'kimi-k2.6', thinking: { type: 'disabled' } };
const QUESTION = 'search the web for the news today';

function create(api: OpenAI, body: Record<string, unknown>, headers?: Record<string, string>): Promise<any> {
  return api.chat.completions.create({ tools: [SEARCH_TOOL], ...body } as any, headers ? { headers } : undefined);
}

async function failure(api: OpenAI, body: Record<string, unknown>): Promise<{ status: number; message: string }> {
  const error: any = await create(api, body).then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeDefined();
  return { status: error.status, message: error.error?.message ?? error.message };
}

describe('$web_search round trip', () => {
  it('answers a search request with a builtin tool call carrying a deterministic result and its usage', async () => {
    const first = await create(openai, { ...NO_THINKING, messages: [{ role: 'user', content: QUESTION }] });
    const choice = first.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls).toEqual([
      { index: 0, id: 'web_search:0', type: 'builtin_function', function: { name: '$web_search', arguments: searchArguments(QUESTION, 1) } },
    ]);
    const args = JSON.parse(choice.message.tool_calls[0].function.arguments);
    expect(args.usage.total_tokens).toBeGreaterThan(100);
  });

  it('answers using the echoed arguments, counting the search in the prompt; a changed echo is a 400', async () => {
    const first = await create(openai, { ...NO_THINKING, messages: [{ role: 'user', content: QUESTION }] });
    const call = first.choices[0].message.tool_calls[0];
    const messages = [
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: '', tool_calls: [call] },
      { role: 'tool', tool_call_id: call.id, name: '$web_search', content: call.function.arguments },
    ];
    const second = await create(openai, { ...NO_THINKING, messages });
    expect(second.choices[0].finish_reason).toBe('stop');
    expect(second.choices[0].message.content).toBe(`Searched the web 1 times for "${QUESTION}". Here is what I found.`);
    const searchTokens = JSON.parse(call.function.arguments).usage.total_tokens;
    expect(second.usage.prompt_tokens).toBe(countMessageTokens(messages as any) + searchTokens);

    const changed = [...messages.slice(0, 2), { ...messages[2], content: JSON.stringify(JSON.parse(call.function.arguments), null, 1) }];
    expect(await failure(openai, { ...NO_THINKING, messages: changed })).toEqual({ status: 400, message: WEB_SEARCH_MESSAGES.echo });
  });

  it('searches again while "search the web N times" asks for more, streamed as builtin tool-call deltas', async () => {
    const question = 'search the web 2 times about kimi';
    const messages: any[] = [{ role: 'user', content: question }];
    const finishes: string[] = [];
    for (let round = 0; round < 3; round++) {
      const stream = await openai.chat.completions.create({ ...NO_THINKING, tools: [SEARCH_TOOL], messages, stream: true } as any);
      let id = '';
      let type = '';
      let args = '';
      let content = '';
      let finish = '';
      for await (const chunk of stream as any) {
        const choice = chunk.choices[0];
        if (!choice) continue;
        for (const delta of choice.delta?.tool_calls ?? []) {
          if (delta.id) [id, type] = [delta.id, delta.type];
          args += delta.function?.arguments ?? '';
        }
        content += choice.delta?.content ?? '';
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      finishes.push(finish);
      if (finish !== 'tool_calls') {
        expect(content).toBe(`Searched the web 2 times for "${question}". Here is what I found.`);
        break;
      }
      expect(type).toBe('builtin_function');
      expect(args).toBe(searchArguments(question, round + 1));
      messages.push(
        { role: 'assistant', content: '', tool_calls: [{ id, type, function: { name: '$web_search', arguments: args } }] },
        { role: 'tool', tool_call_id: id, name: '$web_search', content: args },
      );
    }
    expect(finishes).toEqual(['tool_calls', 'tool_calls', 'stop']);
  });

  it('a message without "search the web" is answered directly', async () => {
    const reply = await create(openai, { ...NO_THINKING, messages: [{ role: 'user', content: 'hello' }] });
    expect(reply.choices[0].finish_reason).toBe('stop');
  });
});

describe('$web_search and thinking', () => {
  it('refuses $web_search while thinking by default (K2.6 thinking, K3, K2.7), per request header too', async () => {
    const messages = [{ role: 'user', content: QUESTION }];
    for (const model of ['kimi-k2.6', 'kimi-k3', 'kimi-k2.7-code']) {
      expect(await failure(openai, { model, messages })).toEqual({ status: 400, message: WEB_SEARCH_MESSAGES.thinking });
    }
    const accepted = await create(openai, { model: 'kimi-k3', messages }, { 'x-sim-web-search-thinking': 'accept' });
    expect(accepted.choices[0].finish_reason).toBe('tool_calls');
  });

  it('accepts it with the option; the tool-call history must then carry reasoning_content', async () => {
    const first = await create(openaiAccepting, { model: 'kimi-k3', messages: [{ role: 'user', content: QUESTION }] });
    const message = first.choices[0].message;
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(message.reasoning_content).toMatch(/^Thinking about/);
    const call = message.tool_calls[0];
    const history = (withReasoning: boolean) => [
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: '', tool_calls: [call], ...(withReasoning ? { reasoning_content: message.reasoning_content } : {}) },
      { role: 'tool', tool_call_id: call.id, name: '$web_search', content: call.function.arguments },
    ];
    expect(await failure(openaiAccepting, { model: 'kimi-k3', messages: history(false) })).toEqual({
      status: 400,
      message: 'thinking is enabled but reasoning_content is missing in assistant tool call message at index 1',
    });
    const second = await create(openaiAccepting, { model: 'kimi-k3', messages: history(true) });
    expect(second.choices[0].message.content).toMatch(/^Searched the web 1 times/);
  });
});

// A plain turn read straight from Kimi's stream (lib/chat/direct-answer.ts) against the AI SDK path it
// replaces (streamText with the Moonshot provider, then toUIMessageStream), both calling the simulator
// over HTTP with the same turn: the request Kimi receives, the chunks the browser gets, the usage and the
// finish reason must be the same — for reasoning and plain models, documents, history, images (bytes and
// ms:// files), a continuation, a refusal and an error event.
import { type LanguageModelUsage, type ModelMessage, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectAnswerEnd } from '@/lib/chat/direct-answer';
import type { CallSettings } from '@/lib/kimi/rules';
import { type ChatHarness, openChatHarness } from '@/tests/support/chat-harness';
import { SAMPLES } from '@/tests/support/images';

interface Turn {
  modelId: string;
  system?: string;
  messages: ModelMessage[];
  settings: CallSettings;
}

interface Outcome {
  chunks: Array<Record<string, unknown>>;
  usage: LanguageModelUsage | undefined;
  finishReason: string | undefined;
  body: unknown;
  thrown?: string;
}

let h: ChatHarness;
beforeAll(async () => {
  h = await openChatHarness('pglite', { KIMI_MAX_RETRIES: '0' });
});
afterAll(() => h?.close());

const START = { type: 'start' as const, messageId: 'answer-1', messageMetadata: { status: 'streaming' as const } };
const finishMetadata = (usage: LanguageModelUsage) => ({
  status: 'complete' as const,
  usage: {
    promptTokens: usage.inputTokens ?? 0,
    cachedTokens: usage.inputTokenDetails.cacheReadTokens ?? 0,
    completionTokens: usage.outputTokens ?? 0,
    reasoningTokens: usage.outputTokenDetails.reasoningTokens ?? 0,
  },
});

/** The request the simulator logged last, as Kimi received it (headers aside). */
function lastBody(): unknown {
  const last = h.sim.requests().at(-1);
  return last && { model: last.model, messages: last.messages, ...last.params };
}

async function viaSdk(turn: Turn): Promise<Outcome> {
  const { kimiModel } = await import('@/lib/kimi/provider');
  let usage: LanguageModelUsage | undefined;
  let finishReason: string | undefined;
  const result = streamText({
    model: kimiModel(turn.modelId),
    system: turn.system,
    messages: turn.messages,
    allowSystemInMessages: true,
    temperature: turn.settings.temperature,
    maxOutputTokens: turn.settings.maxOutputTokens,
    providerOptions: turn.settings.providerOptions,
    maxRetries: 0,
    onFinish: (event) => {
      usage = event.totalUsage;
      finishReason = event.finishReason;
    },
    onError: () => undefined,
  });
  const chunks: Outcome['chunks'] = [];
  const stream = result.toUIMessageStream({
    generateMessageId: () => START.messageId,
    sendReasoning: true,
    messageMetadata: ({ part }) =>
      part.type === 'start' ? START.messageMetadata : part.type === 'finish' ? finishMetadata(part.totalUsage) : undefined,
    onError: (error) => `error: ${(error as Error).message}`,
  });
  for await (const chunk of stream) chunks.push(chunk as Record<string, unknown>);
  return { chunks, usage, finishReason, body: lastBody() };
}

async function viaDirect(turn: Turn): Promise<Outcome> {
  const { directAnswer } = await import('@/lib/chat/direct-answer');
  const end: DirectAnswerEnd = { usage: undefined, finishReason: 'other', requestId: null, error: undefined };
  const chunks: Outcome['chunks'] = [];
  let contentReads = 0;
  try {
    for await (const chunk of directAnswer(
      {
        modelId: turn.modelId,
        system: turn.system,
        messages: turn.messages,
        settings: turn.settings,
        signal: new AbortController().signal,
        start: START,
        finishMetadata,
        onContent: () => contentReads++,
      },
      end,
    ))
      chunks.push(chunk as Record<string, unknown>);
  } catch (error) {
    return { chunks, usage: end.usage, finishReason: undefined, body: lastBody(), thrown: (error as Error).message };
  }
  if (chunks.some((c) => c.type === 'text-delta' || c.type === 'reasoning-delta')) expect(contentReads).toBeGreaterThan(0);
  return { chunks, usage: end.usage, finishReason: end.finishReason, body: lastBody() };
}

const text = (chunks: Outcome['chunks'], type: string) =>
  chunks
    .filter((c) => c.type === type)
    .map((c) => c.delta)
    .join('');
/** The chunk sequence with runs of deltas folded into one entry (how the text is split may differ). */
const shape = (chunks: Outcome['chunks']) =>
  chunks
    .map((c) => (String(c.type).endsWith('-delta') ? `${c.type}:${c.id}` : c))
    .filter((entry, i, all) => typeof entry !== 'string' || all[i - 1] !== entry);

async function expectSame(turn: Turn): Promise<Outcome> {
  // The simulator caches a prompt it has seen (as Kimi does): the SDK runs once before, so both compared
  // calls find the prompt cached.
  await viaSdk(turn);
  const direct = await viaDirect(turn);
  const sdk = await viaSdk(turn);
  expect(direct.body).toEqual(sdk.body);
  expect(shape(direct.chunks)).toEqual(shape(sdk.chunks));
  expect(text(direct.chunks, 'text-delta')).toBe(text(sdk.chunks, 'text-delta'));
  expect(text(direct.chunks, 'reasoning-delta')).toBe(text(sdk.chunks, 'reasoning-delta'));
  // Less the untouched wire object and the SDK's deprecated copies of two fields (the app reads neither).
  const { raw: _raw, cachedInputTokens: _cached, reasoningTokens: _reasoning, ...sdkUsage } = sdk.usage ?? ({} as LanguageModelUsage);
  expect(direct.usage).toEqual(sdkUsage);
  expect(direct.finishReason).toBe(sdk.finishReason);
  return direct;
}

const history: ModelMessage[] = [
  { role: 'system', content: '<document name="notes.md">Budget: 12,400 CNY</document>' },
  { role: 'user', content: 'What is the budget?' },
  { role: 'assistant', content: 'It is 12,400 CNY.' },
  { role: 'user', content: 'Please reply with 12 tokens' },
];

describe('a plain turn read straight from the stream', () => {
  it('asks and answers as the SDK path does: K3 with an effort, a system prompt, a document and history', async () => {
    const out = await expectSame({
      modelId: 'kimi-k3',
      system: 'Be brief.',
      messages: history,
      settings: { maxOutputTokens: 4096, providerOptions: { moonshotai: { reasoningEffort: 'low' } } },
    });
    expect(out.chunks.map((c) => c.type)).toContain('reasoning-delta');
    expect(out.finishReason).toBe('stop');
  });

  it.each([
    [
      'thinking off (a temperature is not sent: Kimi pins it)',
      { maxOutputTokens: 512, temperature: 0.3, providerOptions: { moonshotai: { thinking: { type: 'disabled' as const } } } },
    ],
    ['thinking on', { maxOutputTokens: 512, providerOptions: { moonshotai: { thinking: { type: 'enabled' as const } } } }],
  ])('K2.6 %s', async (_name, settings) => {
    await expectSame({ modelId: 'kimi-k2.6', messages: [{ role: 'user', content: 'Please reply with 30 tokens' }], settings });
  });

  it('cut at its budget: the same finish reason (length)', async () => {
    const out = await expectSame({
      modelId: 'kimi-k2.6',
      messages: [{ role: 'user', content: 'Please reply with 300 tokens' }],
      settings: { maxOutputTokens: 20, providerOptions: { moonshotai: { thinking: { type: 'disabled' } } } },
    });
    expect(out.finishReason).toBe('length');
  });

  it('sends images as the provider does: bytes as a data: URL, a file as its ms:// URL', async () => {
    const messages: ModelMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'file', data: SAMPLES.png(8, 8), mediaType: 'image/png' },
          { type: 'file', data: new URL('ms://not-a-file-kimi-has'), mediaType: 'image/png' },
        ],
      },
    ];
    const turn = { modelId: 'kimi-k3', messages, settings: { maxOutputTokens: 256 } };
    await viaSdk(turn).catch(() => undefined);
    const sdkBody = lastBody();
    const direct = await viaDirect(turn);
    expect(direct.body).toEqual(sdkBody);
    const content = (direct.body as { messages: Array<{ content: Array<{ type: string; image_url?: { url: string } }> }> }).messages[0]!.content;
    expect(content.map((part) => part.image_url?.url.slice(0, 22) ?? part.type)).toEqual([
      'text',
      'data:image/png;base64,',
      'ms://not-a-file-kimi-h',
    ]);
  });

  it('continues a cut answer in partial mode', async () => {
    await expectSame({
      modelId: 'kimi-k2.6',
      messages: [
        { role: 'user', content: 'Please reply with 40 tokens' },
        { role: 'assistant', content: 'Lorem ipsum dolor', providerOptions: { moonshotai: { partial: true } } },
      ],
      settings: { maxOutputTokens: 512, providerOptions: { moonshotai: { thinking: { type: 'disabled' } } } },
    });
  });

  it('a refusal throws the SDK error the provider throws (status and Kimi body), before any chunk but start', async () => {
    h.sim.queueFaults('quota', 1, 'kimi-k2.6');
    const direct = await viaDirect({ modelId: 'kimi-k2.6', messages: [{ role: 'user', content: 'hi' }], settings: { maxOutputTokens: 64 } });
    expect(direct.chunks).toEqual([START]);
    expect(direct.thrown).toBeDefined();
    const { toAppError } = await import('@/lib/kimi/errors');
    const { APICallError } = await import('ai');
    h.sim.queueFaults('quota', 1, 'kimi-k2.6');
    const end: DirectAnswerEnd = { usage: undefined, finishReason: 'other', requestId: null, error: undefined };
    const { directAnswer } = await import('@/lib/chat/direct-answer');
    const run = async () => {
      for await (const _ of directAnswer(
        {
          modelId: 'kimi-k2.6',
          system: undefined,
          messages: [{ role: 'user', content: 'hi' }],
          settings: { maxOutputTokens: 64 },
          signal: new AbortController().signal,
          start: START,
          finishMetadata,
          onContent: () => undefined,
        },
        end,
      ));
    };
    await expect(run()).rejects.toSatisfy((error) => APICallError.isInstance(error) && error.statusCode === 429);
    expect(APICallError.isInstance(end.error)).toBe(true);
    expect(toAppError(end.error)).toMatchObject({ code: 'quota_exceeded', retryable: false });
  });

  it('an error event mid-stream becomes an error chunk, and no finish', async () => {
    h.sim.queueFaults('error_event:3', 1, 'kimi-k2.6');
    const direct = await viaDirect({
      modelId: 'kimi-k2.6',
      messages: [{ role: 'user', content: 'Please reply with 40 tokens' }],
      settings: { maxOutputTokens: 512, providerOptions: { moonshotai: { thinking: { type: 'disabled' } } } },
    });
    const error = direct.chunks.find((c) => c.type === 'error');
    expect(JSON.parse(String(error?.errorText))).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(direct.chunks.some((c) => c.type === 'finish')).toBe(false);
    expect(direct.finishReason).toBe('error');
  });
});

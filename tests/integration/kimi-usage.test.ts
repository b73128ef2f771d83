// Proves where ai v6 + @ai-sdk/moonshotai put Kimi's usage, against the simulator over HTTP: both stream
// usage shapes, thinking and non-thinking models, cache hits, and the estimate when Kimi reports nothing.
import { type LanguageModelUsage, type ModelMessage, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { getModel } from '@/lib/kimi/catalog';
import { toAppError } from '@/lib/kimi/errors';
import { kimiModel } from '@/lib/kimi/provider';
import { callSettings } from '@/lib/kimi/rules';
import { countMessageTokens, countTokens } from '@/lib/kimi/tokenizer';
import { usageFromResult } from '@/lib/kimi/usage';
import { useSimulatorForFile } from '@/tests/support/kimi-env';

const simulator = useSimulatorForFile();

interface Run {
  usage: LanguageModelUsage | undefined;
  text: string;
  reasoning: string;
  usageChunks: number;
  errors: unknown[];
  thrown?: unknown;
}

async function run(modelId: string, messages: ModelMessage[], headers: Record<string, string>, thinking?: boolean, system?: string): Promise<Run> {
  const call = callSettings(getModel(modelId), { temperature: null, thinking: thinking ?? true, reasoningEffort: null }, 400);
  const out: Run = { usage: undefined, text: '', reasoning: '', usageChunks: 0, errors: [] };
  const result = streamText({
    model: kimiModel(modelId),
    system,
    messages,
    headers,
    maxRetries: 0,
    includeRawChunks: true,
    ...call,
    onError: () => {},
  });
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') out.text += part.text;
      else if (part.type === 'reasoning-delta') out.reasoning += part.text;
      else if (part.type === 'error') out.errors.push(part.error);
      else if (part.type === 'finish') out.usage = part.totalUsage;
      else if (part.type === 'raw') {
        const raw = part.rawValue as { usage?: unknown; choices?: Array<{ usage?: unknown }> };
        out.usageChunks += Number(raw.usage != null) + Number(raw.choices?.[0]?.usage != null);
      }
    }
  } catch (error) {
    // A broken-off body is thrown from the stream rather than sent as an error part.
    out.thrown = error;
  }
  return out;
}

function lastChat() {
  const entry = simulator.current
    .requests()
    .filter((r) => r.path === '/v1/chat/completions')
    .at(-1);
  if (!entry?.usage) throw new Error('the simulator logged no usage');
  return entry;
}

const cases: Array<{ model: string; thinking?: boolean; reasons: boolean }> = [
  { model: 'kimi-k2.6', thinking: false, reasons: false },
  { model: 'kimi-k3', reasons: true },
  { model: 'kimi-k2.7-code', reasons: true },
  { model: 'kimi-k2.6', thinking: true, reasons: true },
];

describe.each(['choice', 'choice+trailing'] as const)('usage shape %s', (shape) => {
  it.each(cases)(
    '$model (thinking: $thinking) — counts equal what the simulator billed, cache hit on the repeat',
    async ({ model, thinking, reasons }) => {
      const system = `You are a careful assistant. Case ${shape} ${model} ${String(thinking)}. ${'Context line. '.repeat(200)}`;
      const messages: ModelMessage[] = [{ role: 'user', content: 'Explain briefly why the sky is blue.' }];
      for (const attempt of [1, 2]) {
        const result = await run(model, messages, { 'x-sim-usage-shape': shape }, thinking, system);
        expect(result.errors).toEqual([]);
        // The shape really was on the wire: usage once in the choice, plus once at the top for the trailing variant.
        expect(result.usageChunks).toBe(shape === 'choice' ? 1 : 2);

        const billed = lastChat().usage!;
        const counts = usageFromResult({ usage: result.usage, prompt: [] });
        expect(counts).toEqual({
          promptTokens: billed.prompt_tokens,
          cachedTokens: billed.cached_tokens,
          completionTokens: billed.completion_tokens,
          reasoningTokens: billed.completion_tokens_details?.reasoning_tokens ?? 0,
          reported: true,
        });
        expect(counts.reasoningTokens > 0).toBe(reasons);
        expect(result.reasoning.length > 0).toBe(reasons);
        if (attempt === 2) expect(counts.cachedTokens).toBeGreaterThan(0);
        // Kimi's own object is kept as raw usage.
        expect(result.usage?.raw).toMatchObject({ prompt_tokens: billed.prompt_tokens, completion_tokens: billed.completion_tokens });
      }
    },
  );
});

describe('when Kimi reports nothing', () => {
  it('a stream dropped mid-answer is estimated from the prompt and the text so far, reported: false', async () => {
    const messages: ModelMessage[] = [{ role: 'user', content: 'Write a long story about a lighthouse keeper.' }];
    const result = await run('kimi-k3', messages, { 'x-sim-fault': 'drop:12' });
    // ai 6 throws the broken-off body out of fullStream (an APICallError with status 200), no error part.
    expect(result.errors).toEqual([]);
    expect(toAppError(result.thrown, { streamed: true })).toMatchObject({ code: 'stream_dropped', retryable: true });
    expect(result.usageChunks).toBe(0);
    expect(result.text.length + result.reasoning.length).toBeGreaterThan(0);

    const counts = usageFromResult({ usage: result.usage, prompt: messages as never, text: result.text, reasoning: result.reasoning });
    expect(counts).toEqual({
      promptTokens: countMessageTokens([{ role: 'user', content: 'Write a long story about a lighthouse keeper.' }]),
      cachedTokens: 0,
      completionTokens: countTokens(result.text) + countTokens(result.reasoning),
      reasoningTokens: countTokens(result.reasoning),
      reported: false,
    });
    expect(counts.promptTokens).toBeGreaterThan(0);
  });
});

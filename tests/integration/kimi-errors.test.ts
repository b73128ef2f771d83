// Kimi's failures as they really reach the app: simulator faults over HTTP → AI SDK errors → AppError.
import { streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { getModel } from '@/lib/kimi/catalog';
import { toAppError } from '@/lib/kimi/errors';
import { kimiModel } from '@/lib/kimi/provider';
import { startSimulator } from '@/sim';
import { TEST_KEY, useKimiAt, useSimulatorForFile } from '@/tests/support/kimi-env';

const simulator = useSimulatorForFile();

/** A served model (today's simulator 404s the retired ones); thinking is on by default, so temperature is pinned at 1. */
const MODEL = getModel('kimi-k2.6');

/** Streams one answer; returns the AppError for whatever failed (thrown or sent as an error part). */
async function failure(opts: { model?: string; fault?: string; temperature?: number; maxRetries?: number; prompt?: string; chunkMs?: number }) {
  let streamed = false;
  let error: unknown;
  const result = streamText({
    model: kimiModel(opts.model ?? MODEL.id),
    prompt: opts.prompt ?? 'Say hello.',
    temperature: opts.temperature,
    maxOutputTokens: 200,
    maxRetries: opts.maxRetries ?? 0,
    headers: opts.fault ? { 'x-sim-fault': opts.fault } : undefined,
    timeout: opts.chunkMs ? { chunkMs: opts.chunkMs } : undefined,
    onError: () => {},
  });
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta' || part.type === 'reasoning-delta') streamed = true;
      if (part.type === 'error') error ??= part.error;
      if (part.type === 'abort') error ??= part; // streamText's own timeouts end the stream this way
    }
  } catch (thrown) {
    error ??= thrown;
  }
  if (error === undefined) throw new Error('expected a failure');
  return toAppError(error, { streamed });
}

describe('Kimi errors through streamText', () => {
  it('429 rate limit → rate_limited with the wait, no access key in the detail', async () => {
    const e = await failure({ fault: 'rate_limit:2' });
    expect(e).toMatchObject({ code: 'rate_limited', params: { retryAfterSeconds: 2 }, retryable: true });
    expect(e.detail).not.toMatch(/<ak-/);
    expect(JSON.stringify(e)).not.toContain(TEST_KEY.slice(3));
  });

  it.each([
    ['quota', 'quota_exceeded', false],
    ['overloaded', 'engine_overloaded', true],
    ['server_error', 'upstream_error', true],
    ['content_filter', 'content_filter', false],
  ] as const)('%s → %s', async (fault, code, retryable) => {
    expect(await failure({ fault })).toMatchObject({ code, retryable });
  });

  it('after retries, the last error decides (RetryError)', async () => {
    expect(await failure({ fault: 'overloaded', maxRetries: 1 })).toMatchObject({ code: 'engine_overloaded' });
  });

  it('token limit, temperature and unknown model 400/404s', async () => {
    const window = MODEL.contextWindow;
    const long = await failure({ prompt: 'word '.repeat(window + 1000) }); // one token a word
    expect(long).toMatchObject({ code: 'context_too_long', params: { model: MODEL.id, window } });
    expect(long.params?.over).toBe(Number(long.params?.requested) - window);
    // Today's models pin temperature (Kimi: 400 "only 1 is allowed"): the provider never sends one, so no 400.
    expect(MODEL.temperature.kind).toBe('fixed');
    simulator.current.clearRequests();
    const pinned = streamText({ model: kimiModel(MODEL.id), prompt: 'Say hello.', temperature: 1.5, maxOutputTokens: 200, maxRetries: 0 });
    expect(await pinned.text).toContain('Say hello.');
    const [sent] = simulator.current.requests();
    expect(sent?.status).toBe(200);
    expect(sent?.params).not.toHaveProperty('temperature');
    // A retired model (Kimi's own example) and an id Kimi never had: both 404 "Not found the model …".
    expect(await failure({ model: 'moonshot-v1-auto' })).toMatchObject({ code: 'model_not_found', params: { model: 'moonshot-v1-auto' } });
    expect(await failure({ model: 'kimi-k9-preview' })).toMatchObject({ code: 'model_not_found', params: { model: 'kimi-k9-preview' } });
  });

  it('an endpoint still serving moonshot-v1: its range temperature 400 → invalid_temperature with the range', async () => {
    const legacy = await startSimulator({ catalog: 'legacy', apiKeys: [TEST_KEY] });
    useKimiAt(legacy.url);
    try {
      expect(await failure({ model: 'moonshot-v1-8k', temperature: 1.5 })).toMatchObject({
        code: 'invalid_temperature',
        params: { model: 'moonshot-v1-8k', min: 0, max: 1 },
      });
    } finally {
      useKimiAt(simulator.current.url);
      await legacy.close();
    }
  });

  it('a mid-stream error event → mapped by its type; a drop after text → stream_dropped', async () => {
    expect(await failure({ fault: 'error_event:3' })).toMatchObject({
      code: 'upstream_error',
      detail: expect.stringContaining('while streaming'),
      retryable: true,
    });
    expect(await failure({ fault: 'drop:5' })).toMatchObject({ code: 'stream_dropped', retryable: true });
  });

  it('a stall past the chunk timeout → upstream_timeout; a closed port → upstream_error', async () => {
    expect(await failure({ fault: 'stall:1500', chunkMs: 300 })).toMatchObject({ code: 'upstream_timeout', retryable: true });
    useKimiAt('http://127.0.0.1:9/v1');
    try {
      expect(await failure({})).toMatchObject({ code: 'upstream_error', retryable: true });
    } finally {
      useKimiAt(simulator.current.url);
    }
  });

  it('a bad key → invalid_api_key', async () => {
    const strict = await startSimulator({ apiKeys: ['sk-the-only-good-key-000000'] });
    useKimiAt(strict.url);
    try {
      expect(await failure({})).toMatchObject({ code: 'invalid_api_key', retryable: false });
    } finally {
      useKimiAt(simulator.current.url);
      await strict.close();
    }
  });
});

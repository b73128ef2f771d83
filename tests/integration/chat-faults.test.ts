// Upstream faults during a turn (the simulator's fault injection): refused calls are retried with
// backoff before the first token; quota is not retried; a drop or a stall mid-answer keeps the partial
// answer, marked, with no duplicate; no first token in time is a clear timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { textOf } from '@/tests/support/ui-stream';

// Faults are queued for this model. Titles are generated on it too (the cheapest served model, thinking
// off), but only once the answer's first words have arrived, and without streaming: they never take a
// queued fault before the answer does, and they are not counted as attempts. Thinking off: the answer is
// content only, so the kept partial answer is exactly the streamed text.
const MODEL = 'kimi-k2.6';
const ANSWER_SETTINGS = { thinking: false };

describe('upstream faults', () => {
  let h: ChatHarness;
  let user: Who;

  beforeAll(async () => {
    h = await openChatHarness('pglite', { KIMI_FIRST_TOKEN_TIMEOUT_MS: '5000', KIMI_STALL_TIMEOUT_MS: '1500', KIMI_MAX_RETRIES: '3' });
    user = await h.signedIn('faults@example.com');
  });
  afterAll(() => h?.close());

  async function run(fault: string, count: number, text = 'Please reply with 60 tokens') {
    const id = crypto.randomUUID();
    h.sim.clearRequests();
    h.sim.clearFaults();
    h.sim.queueFaults(fault, count, MODEL);
    const chunks = await h.turn(user, id, text, MODEL, ANSWER_SETTINGS);
    const attempts = h.sim.requests().filter((r) => r.path === '/v1/chat/completions' && r.model === MODEL && r.stream);
    const messages = await h.prisma.message.findMany({ where: { conversationId: id }, orderBy: { seq: 'asc' } });
    const metadata = chunks
      .filter((c) => c.type === 'message-metadata')
      .map((c) => c.messageMetadata as { status?: string; error?: { code: string } });
    return { id, chunks, attempts, messages, metadata };
  }

  it.each([
    ['engine overloaded', 'overloaded', 2],
    ['a 5xx', 'server_error', 1],
    ['a rate limit naming a 1 s wait', 'rate_limit:1', 2],
  ])('retries %s before the first token and then answers once', async (_name, fault, times) => {
    const { attempts, messages, metadata } = await run(fault, times);
    expect(attempts).toHaveLength(times + 1);
    expect(attempts.slice(0, times).every((a) => a.status >= 429)).toBe(true);
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(metadata.some((m) => m.status === 'error')).toBe(false);
    // Never sooner than the wait Kimi named (1 s per refused attempt here).
    if (fault.startsWith('rate_limit:')) {
      for (let i = 1; i < attempts.length; i++)
        expect(Date.parse(attempts[i]!.time) - Date.parse(attempts[i - 1]!.time)).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('does not retry an exhausted quota and says so', async () => {
    const { attempts, messages, metadata } = await run('quota', 1);
    expect(attempts).toHaveLength(1);
    expect(metadata.find((m) => m.status === 'error')?.error?.code).toBe('quota_exceeded');
    expect(messages.map((m) => m.status)).toEqual(['complete', 'error']);
  });

  it('gives up after the bounded number of retries with the rate-limit message', async () => {
    const { attempts, metadata } = await run('overloaded', 10);
    expect(attempts).toHaveLength(4); // 1 + KIMI_MAX_RETRIES
    expect(metadata.find((m) => m.status === 'error')?.error?.code).toBe('engine_overloaded');
  });

  it('keeps the partial answer of a dropped stream, marked, without retrying or duplicating it', async () => {
    const { attempts, messages, chunks, metadata } = await run('drop:8', 1, 'Please reply with 400 tokens');
    expect(attempts).toHaveLength(1);
    expect(metadata.find((m) => m.status === 'error')?.error?.code).toBe('stream_dropped');
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'error'],
    ]);
    const saved = ((messages[1]?.parts ?? []) as Array<{ text: string }>)[0]?.text ?? '';
    expect(saved.length).toBeGreaterThan(0);
    expect(saved).toBe(textOf(chunks));
    const usage = await h.prisma.usage.findFirstOrThrow({ where: { messageId: messages[1]!.id } });
    expect([usage.outcome, usage.errorType, usage.estimated]).toEqual(['error', 'stream_dropped', true]);
  });

  it('times out when no first token comes in time', async () => {
    const { metadata, messages } = await run('slow_first:8000', 1);
    expect(metadata.find((m) => m.status === 'error')?.error?.code).toBe('upstream_timeout');
    expect(messages.map((m) => m.status)).toEqual(['complete', 'error']);
  });

  it('times out on a stall mid-answer and keeps what had arrived', async () => {
    const { metadata, messages, chunks } = await run('stall:8000', 1, 'Please reply with 200 tokens');
    expect(metadata.find((m) => m.status === 'error')?.error?.code).toBe('upstream_timeout');
    const saved = ((messages[1]?.parts ?? []) as Array<{ text: string }>)[0]?.text ?? '';
    expect(saved.length).toBeGreaterThan(0);
    expect(saved).toBe(textOf(chunks));
    expect(messages[1]?.status).toBe('error');
  });
});

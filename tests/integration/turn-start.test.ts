// The turn's first write is also the check that holds across instances: an answer live elsewhere in the
// conversation (streaming, touched lately by its instance's heartbeat) refuses a second one, and nothing
// of the refused turn is stored — but its upstream call is in the ledger. Several instances share a
// PostgreSQL server, so that is where this runs (the harness opens one database per test file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatHarness, openChatHarness, type Who } from '../support/chat-harness';
import { parseSse, textOf } from '../support/ui-stream';

// Any served model: these tests are about the turn's first write, not the answer.
const MODEL = 'kimi-k2.6';

describe('turn start across instances [postgres]', () => {
  const kind = 'postgres';
  let h: ChatHarness;
  let alice: Who;

  beforeAll(async () => {
    h = await openChatHarness(kind, { ANSWER_STALE_AFTER_MS: '60000' });
    alice = await h.signedIn(`turn-start-${kind}@example.com`);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Alice's conversation with one exchange, and an answer "another instance" is generating in it. */
  async function conversationWithLiveAnswer(touchedMsAgo: number) {
    const id = crypto.randomUUID();
    await h.turn(alice, id, 'Please reply with 5 tokens', MODEL);
    const liveId = crypto.randomUUID();
    await h.prisma.message.create({
      data: {
        id: liveId,
        conversationId: id,
        role: 'assistant',
        parts: [],
        status: 'streaming',
        model: MODEL,
        updatedAt: new Date(Date.now() - touchedMsAgo),
      },
    });
    return { id, liveId };
  }

  const send = (id: string, text: string) =>
    h.post(alice, { id, trigger: 'submit-message', message: h.userMessage(text), settings: h.settings(MODEL) });

  it('refuses a turn while another instance streams an answer in the conversation; writes nothing, records the call', async () => {
    const { id } = await conversationWithLiveAnswer(1_000);
    const before = await h.prisma.message.count({ where: { conversationId: id } });
    const usageBefore = await h.prisma.usage.count({ where: { userId: alice.id, purpose: 'chat' } });

    const res = await send(id, 'A second answer at once?');
    expect(res.status).toBe(200);
    const chunks = parseSse(await res.text());
    expect(textOf(chunks)).toBe('');
    expect(chunks).toContainEqual({
      type: 'message-metadata',
      messageMetadata: { status: 'error', error: { code: 'conversation_busy', retryable: true } },
    });

    expect(await h.prisma.message.count({ where: { conversationId: id } })).toBe(before);
    const rows = await h.prisma.usage.findMany({ where: { userId: alice.id, purpose: 'chat' }, orderBy: { createdAt: 'asc' } });
    expect(rows).toHaveLength(usageBefore + 1);
    expect(rows.at(-1)).toMatchObject({ conversationId: null, messageId: null, outcome: 'error', errorType: 'conversation_busy' });
  });

  it('an answer nobody touched for longer than ANSWER_STALE_AFTER_MS (a crashed instance) does not block', async () => {
    const { id } = await conversationWithLiveAnswer(120_000);
    const res = await send(id, 'Please reply with 6 tokens');
    expect(res.status).toBe(200);
    const chunks = parseSse(await res.text());
    expect(textOf(chunks).length).toBeGreaterThan(0);
    expect(await h.prisma.message.count({ where: { conversationId: id, role: 'user' } })).toBe(2);
  });
});

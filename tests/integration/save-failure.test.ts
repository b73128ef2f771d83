// An answer the server could not store is never reported as finished: the thread gets an error it can
// retry, not a `finish` the browser would trust (the crash-safety promise, under a failing database).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChatHarness, openChatHarness, type Who, waitFor } from '@/tests/support/chat-harness';
import { parseSse, readUntil } from '@/tests/support/ui-stream';

let h: ChatHarness;
let alice: Who;
beforeAll(async () => {
  h = await openChatHarness('pglite');
  alice = await h.signedIn('save-failure@example.com');
});
afterAll(() => h?.close());

it('when the answer cannot be saved (its row is gone), no finish is sent and the error is retryable', async () => {
  const id = crypto.randomUUID();
  h.sim.queueFaults('stall:600', 1, 'kimi-k2.6');
  const res = await h.post(alice, {
    id,
    trigger: 'submit-message',
    message: h.userMessage('Please reply with 40 tokens'),
    settings: h.settings('kimi-k2.6', { thinking: false }),
  });
  expect(res.status).toBe(200);
  const { soFar, reader } = await readUntil(res, (text) => text.includes('"text-delta"'));
  // While the answer stalls mid-stream, its rows disappear under it: every save attempt fails.
  await h.prisma.conversation.delete({ where: { id } });
  let rest = soFar;
  for (let next = await reader.read(); !next.done; next = await reader.read()) rest += next.value;
  const chunks = parseSse(rest);
  expect(chunks.some((c) => c.type === 'finish')).toBe(false);
  const metadata = Object.assign({}, ...chunks.filter((c) => c.type === 'message-metadata').map((c) => c.messageMetadata as object));
  expect(metadata).toMatchObject({ status: 'error', error: { code: 'internal', retryable: true } });
  // Its upstream call still counts, unlinked (the conversation is gone).
  const rows = await h.prisma.usage.findMany({ where: { userId: alice.id, purpose: 'chat' } });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ conversationId: null, messageId: null, servedModel: 'kimi-k2.6' });
  expect(rows[0]!.completionTokens).toBeGreaterThan(0);
  // So does its title's, asked for at the first words, whose save found the conversation gone.
  const title = await waitFor(() => h.prisma.usage.findFirst({ where: { userId: alice.id, purpose: 'title' } }));
  expect(title).toMatchObject({ conversationId: null, messageId: null, outcome: 'ok', estimated: false });
});

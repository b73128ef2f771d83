// Branches on the real chat routes, a real database and the simulator over real HTTP: regenerate and edit
// add alternatives instead of replacing, the thread and Kimi get the current path only, the switch is
// remembered, and Continue, Stop, resume and the ledger work on any branch. Run once per database kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatUIMessage } from '@/lib/chat/types';
import { type ChatHarness, openChatHarness, type Who, waitFor } from '@/tests/support/chat-harness';
import { parseSse, readUntil } from '@/tests/support/ui-stream';

const MODEL = 'kimi-k2.6';
const NO_THINKING = { thinking: false };

type SentMessage = { role: string; content: string | Array<{ type: string; text?: string }> };
const contentText = (m: SentMessage) => (typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join(''));

type RouteModule = Record<string, (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>>;

export function branchesSuite(kind: 'pglite' | 'postgres'): void {
  describe(`branches on ${kind}`, () => {
    let h: ChatHarness;
    let alice: Who;
    let bob: Who;

    beforeAll(async () => {
      h = await openChatHarness(kind);
      alice = await h.signedIn('alice@example.com');
      bob = await h.signedIn('bob@example.com');
    });
    afterAll(() => h?.close());

    const settings = () => h.settings(MODEL, NO_THINKING);
    const send = async (who: Who, id: string, text: string, extra: object = {}) => {
      const message = h.userMessage(text);
      const res = await h.post(who, { id, trigger: 'submit-message', message, settings: settings(), ...extra });
      return { res, message, chunks: res.status === 200 ? parseSse(await res.text()) : [] };
    };
    const regenerate = async (who: Who, id: string, extra: object = {}) => {
      const res = await h.post(who, { id, trigger: 'regenerate-message', settings: settings(), ...extra });
      return { res, chunks: res.status === 200 ? parseSse(await res.text()) : [] };
    };
    const detail = async (who: Who, id: string) => {
      const res = await h.routes.one.GET!(h.req(who, `/api/conversations/${id}`), h.ctx(id));
      expect(res.status).toBe(200);
      return (await res.json()) as { messages: ChatUIMessage[]; streaming: boolean };
    };
    const switchTo = (who: Who, id: string, messageId: string) =>
      h.routes.branch.POST!(h.req(who, `/api/conversations/${id}/branch`, { method: 'POST', body: JSON.stringify({ messageId }) }), h.ctx(id));
    const pathText = (messages: ChatUIMessage[]) =>
      messages.map((m) => `${m.role}:${m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')}`);
    /** What the last streamed chat call sent to the simulator, user and assistant messages only. */
    const sentPath = () =>
      ((h.sim.requests().findLast((r) => r.stream)?.messages ?? []) as SentMessage[])
        .filter((m) => m.role !== 'system')
        .map((m) => `${m.role}:${contentText(m)}`);
    const rowsOf = (id: string) => h.prisma.message.findMany({ where: { conversationId: id }, orderBy: { seq: 'asc' } });

    it('regenerate keeps every answer as a sibling; each has its own ledger row; the newest is shown, with ‹ 3 / 3 ›', async () => {
      const id = crypto.randomUUID();
      const { message } = await send(alice, id, 'first question');
      const second = await regenerate(alice, id);
      const start = second.chunks.find((c) => c.type === 'start') as unknown as { messageId: string; messageMetadata: { siblings?: string[] } };
      expect(start.messageMetadata.siblings).toHaveLength(2);
      const third = await regenerate(alice, id, { parentId: message.id });
      const thirdStart = third.chunks.find((c) => c.type === 'start') as unknown as { messageId: string; messageMetadata: { siblings?: string[] } };

      const rows = await rowsOf(id);
      expect(rows.map((r) => r.role)).toEqual(['user', 'assistant', 'assistant', 'assistant']);
      const answers = rows.filter((r) => r.role === 'assistant');
      expect(answers.every((a) => a.parentId === message.id && a.status === 'complete')).toBe(true);
      expect(thirdStart.messageMetadata.siblings).toEqual(answers.map((a) => a.id));
      expect((await h.prisma.conversation.findUniqueOrThrow({ where: { id } })).leafId).toBe(thirdStart.messageId);

      // One chat row per answer, each linked to its own message.
      const usage = await h.prisma.usage.findMany({ where: { conversationId: id, purpose: 'chat' }, orderBy: { id: 'asc' } });
      expect(usage.map((u) => u.messageId)).toEqual(answers.map((a) => a.id));

      const shown = await detail(alice, id);
      expect(shown.messages.map((m) => m.id)).toEqual([message.id, thirdStart.messageId]);
      expect(shown.messages[1]?.metadata?.siblings).toEqual(answers.map((a) => a.id));
      expect(shown.messages[0]?.metadata?.siblings).toBeUndefined();

      // Switch back to the first answer: remembered on the server, so a reload shows it.
      const switched = await switchTo(alice, id, answers[0]!.id);
      expect(switched.status).toBe(200);
      expect(((await switched.json()) as { messages: ChatUIMessage[] }).messages.map((m) => m.id)).toEqual([message.id, answers[0]!.id]);
      expect((await detail(alice, id)).messages.map((m) => m.id)).toEqual([message.id, answers[0]!.id]);
    });

    it('export carries the whole tree with the shown branch last; import brings back that branch as one path', async () => {
      const id = crypto.randomUUID();
      const { message } = await send(alice, id, 'export question');
      await regenerate(alice, id);
      const answers = (await rowsOf(id)).filter((r) => r.role === 'assistant');
      expect(answers).toHaveLength(2);
      await switchTo(alice, id, answers[0]!.id);

      const { GET } = (await import('@/app/api/conversations/[id]/export/route')) as unknown as RouteModule;
      const file = (await (await GET!(h.req(alice, `/api/conversations/${id}/export`), h.ctx(id))).json()) as {
        messages: Array<{ id: string; parentId: string | null }>;
      };
      expect(file.messages.map((m) => m.id)).toEqual([message.id, answers[1]!.id, answers[0]!.id]);
      expect(file.messages.map((m) => m.parentId)).toEqual([null, message.id, message.id]);

      const { POST } = (await import('@/app/api/conversations/import/route')) as unknown as RouteModule;
      const imported = await POST!(h.req(bob, '/api/conversations/import', { method: 'POST', body: JSON.stringify(file) }));
      expect(imported.status).toBe(201);
      const copy = (await imported.json()) as { id: string };
      const rows = await rowsOf(copy.id);
      expect(rows.map((r) => r.role)).toEqual(['user', 'assistant']);
      expect(rows[1]!.parentId).toBe(rows[0]!.id);
      expect(pathText((await detail(bob, copy.id)).messages)).toEqual(pathText((await detail(alice, id)).messages));
    });

    it('edit of an earlier message starts a branch; Kimi gets only the current path; sending on a switched branch continues it', async () => {
      const id = crypto.randomUUID();
      const q1 = await send(alice, id, 'alpha one');
      await send(alice, id, 'alpha two');
      await send(alice, id, 'alpha three');
      const before = await rowsOf(id);
      expect(before.map((r) => r.parentId)).toEqual([null, ...before.slice(0, -1).map((r) => r.id)]);

      // Edit the first of three user messages: a new root, with only itself sent.
      h.sim.clearRequests();
      const edited = await send(alice, id, 'beta one', { editOf: q1.message.id });
      expect(edited.res.status).toBe(200);
      expect(sentPath()).toEqual(['user:beta one']);
      const editedRow = await h.prisma.message.findUniqueOrThrow({ where: { id: edited.message.id } });
      expect(editedRow.parentId).toBeNull();
      let shown = await detail(alice, id);
      expect(pathText(shown.messages).filter((t) => t.startsWith('user:'))).toEqual(['user:beta one']);
      expect(shown.messages[0]?.metadata?.siblings).toEqual([q1.message.id, edited.message.id]);

      // The new branch goes on from its own leaf.
      h.sim.clearRequests();
      await send(alice, id, 'beta two');
      expect(sentPath().filter((t) => t.startsWith('user:'))).toEqual(['user:beta one', 'user:beta two']);

      // The old branch is still reachable, whole; a message sent on it continues it, and only it is sent.
      const switched = await switchTo(alice, id, q1.message.id);
      expect(switched.status).toBe(200);
      shown = await detail(alice, id);
      expect(pathText(shown.messages).filter((t) => t.startsWith('user:'))).toEqual(['user:alpha one', 'user:alpha two', 'user:alpha three']);
      h.sim.clearRequests();
      const onOld = await send(alice, id, 'alpha four', { parentId: shown.messages.at(-1)!.id });
      expect(onOld.res.status).toBe(200);
      const sent = sentPath();
      expect(sent.filter((t) => t.startsWith('user:'))).toEqual(['user:alpha one', 'user:alpha two', 'user:alpha three', 'user:alpha four']);
      expect(sent.join('\n')).not.toContain('beta');
      expect(sent.filter((t) => t.startsWith('assistant:'))).toHaveLength(3);
      shown = await detail(alice, id);
      expect(pathText(shown.messages).at(-2)).toBe('user:alpha four');
      // Nothing was ever deleted: 3 + 1 + 1 + 1 exchanges.
      expect(await h.prisma.message.count({ where: { conversationId: id } })).toBe(12);
    });

    it('refuses a parent that is not in the conversation or of the wrong role, and writes nothing', async () => {
      const id = crypto.randomUUID();
      const other = crypto.randomUUID();
      const q = await send(alice, id, 'the question');
      await send(alice, other, 'elsewhere');
      const [otherUser, otherAnswer] = await rowsOf(other);
      const [, answer] = await rowsOf(id);
      const bobs = crypto.randomUUID();
      const bobQ = await send(bob, bobs, 'bob asks');
      const count = await h.prisma.message.count();
      h.sim.clearRequests();

      const refusals = [
        // A new message after an answer of another conversation (the user's own, and someone else's).
        await send(alice, id, 'x', { parentId: otherAnswer!.id }),
        await send(alice, id, 'x', { parentId: (await rowsOf(bobs))[1]!.id }),
        // After a user message (a parent must be an answer).
        await send(alice, id, 'x', { parentId: q.message.id }),
        // An edit of an answer, of another conversation's message, of someone else's message.
        await send(alice, id, 'x', { editOf: answer!.id }),
        await send(alice, id, 'x', { editOf: otherUser!.id }),
        await send(alice, id, 'x', { editOf: bobQ.message.id }),
        // Regenerate: the parent must be a user message of this conversation.
        await regenerate(alice, id, { parentId: answer!.id }),
        await regenerate(alice, id, { parentId: otherUser!.id }),
        await regenerate(alice, id, { parentId: bobQ.message.id }),
        await regenerate(alice, id, { parentId: 'no-such-message' }),
      ];
      for (const refused of refusals) {
        expect(refused.res.status).toBe(409);
        expect(((await refused.res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
      }
      expect(await h.prisma.message.count()).toBe(count);
      expect(h.sim.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
    });

    it('the switch route refuses other users, unknown and foreign message ids, and ids of another conversation', async () => {
      const id = crypto.randomUUID();
      const other = crypto.randomUUID();
      await send(alice, id, 'mine');
      await regenerate(alice, id);
      await send(alice, other, 'my other chat');
      const [, first] = await rowsOf(id);
      const [otherUser] = await rowsOf(other);
      const leafBefore = (await h.prisma.conversation.findUniqueOrThrow({ where: { id } })).leafId;

      expect((await switchTo(bob, id, first!.id)).status).toBe(404); // Bob, Alice's conversation and message
      expect((await switchTo(alice, id, otherUser!.id)).status).toBe(404); // a message of another conversation
      expect((await switchTo(alice, id, 'nope')).status).toBe(404);
      expect((await switchTo(alice, 'not-a-uuid', first!.id)).status).toBe(404);
      const bad = await h.routes.branch.POST!(
        h.req(alice, `/api/conversations/${id}/branch`, { method: 'POST', body: JSON.stringify({ messageId: 7 }) }),
        h.ctx(id),
      );
      expect(bad.status).toBe(400);
      expect((await h.prisma.conversation.findUniqueOrThrow({ where: { id } })).leafId).toBe(leafBefore);
      expect((await h.prisma.conversation.findUniqueOrThrow({ where: { id: other } })).leafId).not.toBe(first!.id);
    });

    it('Continue extends a cut answer on a switched-to branch; its second ledger row links to that answer', async () => {
      const id = crypto.randomUUID();
      const q = await send(alice, id, 'Please reply with 300 tokens; cut off after 200 tokens');
      const [, cut] = await rowsOf(id);
      expect(cut!.cutReason).toBe('length');
      await regenerate(alice, id);
      // The cut answer is no longer the current leaf: Continue is refused until the thread shows it.
      const refused = await h.post(alice, { id, trigger: 'continue-message', continueOf: cut!.id, settings: settings() });
      expect(refused.status).toBe(409);
      expect((await switchTo(alice, id, cut!.id)).status).toBe(200);
      h.sim.clearRequests();
      const res = await h.post(alice, { id, trigger: 'continue-message', continueOf: cut!.id, settings: settings() });
      expect(res.status).toBe(200);
      await res.text();
      // The question and the cut answer (partial mode), nothing of the sibling branch.
      expect(sentPath().map((t) => t.split(':')[0])).toEqual(['user', 'assistant']);
      const rows = await h.prisma.usage.findMany({ where: { messageId: cut!.id }, orderBy: { id: 'asc' } });
      expect(rows.map((r) => r.outcome)).toEqual(['length', 'ok']);
      const shown = await detail(alice, id);
      expect(shown.messages.map((m) => m.id)).toEqual([q.message.id, cut!.id]);
      expect(shown.messages[1]?.metadata?.siblings).toHaveLength(2);
    });

    it('a regenerated answer on a branch resumes after a reload and stops; the earlier answer is untouched; no switch while it streams', async () => {
      const id = crypto.randomUUID();
      await send(alice, id, 'Please reply with 40 tokens');
      const [, earlier] = await rowsOf(id);
      h.sim.queueFaults('stall:3000', 1, MODEL);
      const res = await h.post(alice, { id, trigger: 'regenerate-message', settings: settings() });
      const { reader } = await readUntil(res, (text) => text.includes('"text-delta"'));
      const live = await detail(alice, id);
      expect(live.streaming).toBe(true);
      expect((await switchTo(alice, id, earlier!.id)).status).toBe(409);
      const resumed = await h.routes.stream.GET!(h.req(alice, `/api/chat/${id}/stream`), h.ctx(id));
      expect(resumed.status).toBe(200);
      expect((await h.routes.stop.POST!(h.req(alice, `/api/chat/${id}/stop`, { method: 'POST' }), h.ctx(id))).status).toBe(204);
      for (let next = await reader.read(); !next.done; next = await reader.read());
      await resumed.text();
      const stopped = await waitFor(() => h.prisma.message.findFirst({ where: { conversationId: id, status: 'stopped' } }));
      expect(stopped.id).not.toBe(earlier!.id);
      expect(stopped.parentId).toBe(earlier!.parentId);
      const again = await h.prisma.message.findUniqueOrThrow({ where: { id: earlier!.id } });
      expect([again.status, again.parts]).toEqual([earlier!.status, earlier!.parts]);
      expect((await switchTo(alice, id, earlier!.id)).status).toBe(200);
    });

    it('the context meter measures the current path only', async () => {
      const id = crypto.randomUUID();
      const q = await send(alice, id, `long ${'words '.repeat(2000)}`);
      const context = (await import('@/lib/chat/context-budget')).contextBudget;
      const longPath = (await context(alice.id, id, MODEL))!.historyTokens;
      await send(alice, id, 'short', { editOf: q.message.id });
      const shortPath = (await context(alice.id, id, MODEL))!.historyTokens;
      expect(shortPath).toBeLessThan(longPath / 10);
    });
  });
}

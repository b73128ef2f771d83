// A long conversation in pages, on the real routes and a real database: opening it (GET
// /api/conversations/:id, which the page uses too) answers only the newest page of the current path and how
// many messages come before it; GET /api/conversations/:id/messages answers the pages before, back to any
// message (`to`), only on the current branch and only to the owner. Run once per database kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadPage } from '@/lib/chat/types';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { longThreadMessageId as mid, seedLongThread } from '@/tests/support/fixtures/long-thread';

const COUNT = 100;
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => mid(from + i));

export function threadPagesSuite(kind: 'pglite' | 'postgres'): void {
  describe(`thread pages on ${kind}`, () => {
    let h: ChatHarness;
    let alice: Who;
    let bob: Who;
    let conversation: string;

    beforeAll(async () => {
      h = await openChatHarness(kind);
      alice = await h.signedIn('alice-pages@example.com');
      bob = await h.signedIn('bob-pages@example.com');
      conversation = await seedLongThread(h.prisma, alice.id, COUNT);
    });
    afterAll(() => h?.close());

    const open = async (who: Who, id = conversation) => h.routes.one.GET!(h.req(who, `/api/conversations/${id}`), h.ctx(id));
    const older = (who: Who | null, query: string, id = conversation) =>
      h.routes.messages.GET!(h.req(who, `/api/conversations/${id}/messages?${query}`), h.ctx(id));
    const page = async (res: Response) => {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      return (await res.json()) as ThreadPage;
    };

    it('opens on the newest page of the path and says how many messages come before it', async () => {
      const opened = await page(await open(alice));
      expect(opened.messages.map((m) => m.id)).toEqual(ids(COUNT - 10, COUNT));
      expect(opened.olderCount).toBe(COUNT - 10);
      expect(opened.messages[0]?.parts).toEqual([{ type: 'text', text: expect.stringContaining('Question 90') }]);
    });

    it('pages back to the first message, each page right before the one given', async () => {
      let before = mid(COUNT - 10);
      const seen: string[] = [];
      for (const expected of [60, 30, 0]) {
        const next = await page(await older(alice, `before=${before}`));
        expect(next.olderCount).toBe(expected);
        expect(next.messages.map((m) => m.id)).toEqual(ids(expected, Number(before.slice(2))));
        seen.unshift(...next.messages.map((m) => m.id));
        before = next.messages[0]!.id;
      }
      expect(seen).toEqual(ids(0, COUNT - 10));
      const smaller = await page(await older(alice, `before=${mid(70)}&limit=5`));
      expect(smaller.messages.map((m) => m.id)).toEqual(ids(65, 70));
      expect(smaller.olderCount).toBe(65);
    });

    it('`to` reaches back to an old message with a page of context before it', async () => {
      const far = await page(await older(alice, `before=${mid(70)}&to=${mid(12)}&limit=10`));
      expect(far.messages.map((m) => m.id)).toEqual(ids(2, 70));
      expect(far.olderCount).toBe(2);
      // Always a page before `to` (the reader sees it in context), however near it is.
      const near = await page(await older(alice, `before=${mid(70)}&to=${mid(65)}&limit=10`));
      expect(near.messages.map((m) => m.id)).toEqual(ids(55, 70));
    });

    it('refuses a malformed query', async () => {
      for (const query of [
        '',
        `before=${mid(70)}&limit=0`,
        `before=${mid(70)}&limit=101`,
        `before=${mid(70)}&limit=ten`,
        `before=${'x'.repeat(101)}`,
      ]) {
        const res = await older(alice, query);
        expect(res.status, query).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
      }
    });

    it("answers only the owner: someone else's conversation is not found, signed out is 401", async () => {
      for (const res of [await older(bob, `before=${mid(70)}`), await older(bob, `before=${mid(70)}&to=${mid(3)}`), await open(bob)]) {
        expect(res.status).toBe(404);
        expect(await res.text()).not.toContain('Question');
      }
      expect((await older(null, `before=${mid(70)}`)).status).toBe(401);
    });

    it('follows the current branch: an off-path message is not found, siblings are marked', async () => {
      // Last, as it changes the path: an edit of message 50 (a sibling under message 49), with an answer, made the current leaf.
      const id = conversation;
      await h.prisma.message.createMany({
        data: [
          { id: 'edit-50', parentId: mid(49), conversationId: id, role: 'user', parts: [{ type: 'text', text: 'Question 50, edited' }] },
          { id: 'edit-51', parentId: 'edit-50', conversationId: id, role: 'assistant', parts: [{ type: 'text', text: 'An answer' }] },
        ],
      });
      await h.prisma.conversation.update({ where: { id }, data: { leafId: 'edit-51' } });
      const opened = await page(await open(alice, id));
      expect(opened.messages.map((m) => m.id)).toEqual([...ids(42, 50), 'edit-50', 'edit-51']);
      expect(opened.olderCount).toBe(42);
      expect(opened.messages.find((m) => m.id === 'edit-50')?.metadata?.siblings).toEqual([mid(50), 'edit-50']);
      const next = await page(await older(alice, `before=${mid(42)}`, id));
      expect(next.messages.map((m) => m.id)).toEqual(ids(12, 42));
      // The old branch's messages are not on the path the thread shows.
      expect((await older(alice, `before=${mid(55)}`, id)).status).toBe(404);
      expect((await older(alice, `before=${mid(42)}&to=${mid(55)}`, id)).status).toBe(404);
      // Switching back answers the old branch from a page before the switched message, where the reader is.
      const switched = await h.routes.branch.POST!(
        h.req(alice, `/api/conversations/${id}/branch`, { method: 'POST', body: JSON.stringify({ messageId: mid(50) }) }),
        h.ctx(id),
      );
      const back = await page(switched);
      expect(back.messages.map((m) => m.id)).toEqual(ids(40, COUNT));
      expect(back.olderCount).toBe(40);
    });
  });
}

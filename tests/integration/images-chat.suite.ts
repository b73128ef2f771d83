// Images in chat turns (issue 14): a user message's image parts reach Kimi as `image_url` data URLs (the
// simulator reads them back), on later turns too; someone else's image id is refused; the prompt estimate
// counts the image (lib/kimi/images.ts), and Kimi's own count is what the ledger records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageTokens } from '@/lib/kimi/images';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { SAMPLES } from '@/tests/support/images';
import { parseSse, textOf } from '@/tests/support/ui-stream';

type Route = { POST?: (req: Request) => Promise<Response> };

export function imagesChatSuite(kind: 'pglite' | 'postgres'): void {
  describe(`images in chat turns on ${kind}`, () => {
    let h: ChatHarness;
    let alice: Who;
    let bob: Who;
    let upload: Route;

    beforeAll(async () => {
      h = await openChatHarness(kind);
      alice = await h.signedIn(`img-alice-${kind}@example.com`);
      bob = await h.signedIn(`img-bob-${kind}@example.com`);
      upload = (await import('@/app/api/images/route')) as Route;
    });
    afterAll(() => h?.close());

    async function uploadAs(who: Who, bytes: Buffer): Promise<string> {
      const res = await upload.POST!(
        new Request('http://127.0.0.1:3000/api/images', { method: 'POST', body: new Uint8Array(bytes), headers: { cookie: who.cookie } }),
      );
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    }

    const message = (text: string, imageId: string) => ({
      id: crypto.randomUUID(),
      role: 'user',
      parts: [
        { type: 'text', text },
        { type: 'file', mediaType: 'image/png', url: `/api/images/${imageId}`, filename: 'shot.png' },
      ],
    });

    it('sends the image as an image_url data URL, counts it, and sends it again with the history', async () => {
      const imageId = await uploadAs(alice, SAMPLES.png(640, 480));
      const id = crypto.randomUUID();
      h.sim.clearRequests();
      const res = await h.post(alice, {
        id,
        trigger: 'submit-message',
        message: message('what is in this screenshot?', imageId),
        settings: h.settings('kimi-k2.6', { thinking: false }),
      });
      expect(res.status).toBe(200);
      const chunks = parseSse(await res.text());
      expect(textOf(chunks)).toContain('I saw 1 image: png 640×480.');
      const call = h.sim.requests().find((r) => r.path === '/v1/chat/completions' && r.stream);
      const user = ((call?.messages ?? []) as Array<{ role: string; content: unknown }>).find((m) => m.role === 'user');
      expect(user?.content).toEqual([
        { type: 'text', text: 'what is in this screenshot?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${SAMPLES.png(640, 480).toString('base64')}` } },
      ]);
      // The ledger has Kimi's count, which includes the image's tokens.
      const answer = await h.prisma.message.findFirstOrThrow({ where: { conversationId: id, role: 'assistant' } });
      const row = await h.prisma.usage.findFirstOrThrow({ where: { messageId: answer.id } });
      expect(row.promptTokens).toBe(call?.usage?.prompt_tokens);
      expect(row.promptTokens).toBeGreaterThan(imageTokens(640, 480));
      // Stored with the user's message, so the thread shows it after a reload.
      const stored = await h.prisma.message.findFirstOrThrow({ where: { conversationId: id, role: 'user' } });
      expect(JSON.stringify(stored.parts)).toContain(`/api/images/${imageId}`);

      // The context meter counts the history's image with the same estimate.
      const { contextBudget } = await import('@/lib/chat/context-budget');
      const budget = await contextBudget(alice.id, id, 'kimi-k2.6');
      expect(budget?.historyTokens).toBeGreaterThan(imageTokens(640, 480));

      h.sim.clearRequests();
      const next = await h.turn(alice, id, 'and now?', 'kimi-k2.6', { thinking: false });
      expect(next.filter((c) => c.type === 'error')).toEqual([]);
      const second = h.sim.requests().find((r) => r.path === '/v1/chat/completions' && r.stream);
      expect(JSON.stringify(second?.messages)).toContain('image_url');
    });

    it("refuses another user's image id (and a guessed one) before any call", async () => {
      const aliceImage = await uploadAs(alice, SAMPLES.gif(10, 10));
      for (const imageId of [aliceImage, crypto.randomUUID()]) {
        h.sim.clearRequests();
        const res = await h.post(bob, {
          id: crypto.randomUUID(),
          trigger: 'submit-message',
          message: message('mine?', imageId),
          settings: h.settings('kimi-k2.6'),
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: object }).error).toEqual({ code: 'bad_request', detail: 'image not found', retryable: false });
        expect(h.sim.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
      }
    });

    it('refuses more than 4 images in one message', async () => {
      const imageId = await uploadAs(alice, SAMPLES.png(8, 8));
      h.sim.clearRequests();
      const parts = [
        { type: 'text', text: 'many' },
        ...Array.from({ length: 5 }, () => ({ type: 'file', mediaType: 'image/png', url: `/api/images/${imageId}` })),
      ];
      const res = await h.post(alice, {
        id: crypto.randomUUID(),
        trigger: 'submit-message',
        message: { id: crypto.randomUUID(), role: 'user', parts },
        settings: h.settings('kimi-k2.6'),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'bad_request', detail: expect.stringContaining('at most 4 images per message') });
      expect(h.sim.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
    });
  });
}

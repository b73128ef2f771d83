// Images in chat turns (issue 14): a user message's image parts reach Kimi as `image_url` data URLs (the
// simulator reads them back), on later turns too; someone else's image id is refused; the prompt estimate
// counts the image (lib/kimi/images.ts), and Kimi's own count is what the ledger records.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageTokens, MAX_IMAGE_SIDE, parseDataUrl, readImageInfo } from '@/lib/kimi/images';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { SAMPLES } from '@/tests/support/images';
import { metadataOf, parseSse, textOf } from '@/tests/support/ui-stream';

export function imagesChatSuite(kind: 'pglite' | 'postgres'): void {
  describe(`images in chat turns on ${kind}`, () => {
    let h: ChatHarness;
    let alice: Who;
    let bob: Who;
    let serve: { GET: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response> };
    let context: { GET: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response> };

    beforeAll(async () => {
      h = await openChatHarness(kind);
      alice = await h.signedIn(`img-alice-${kind}@example.com`);
      bob = await h.signedIn(`img-bob-${kind}@example.com`);
      serve = (await import('@/app/api/images/[id]/route')) as typeof serve;
      context = (await import('@/app/api/conversations/[id]/context/route')) as typeof context;
    });
    afterAll(() => h?.close());

    /** A real picture (decodable, unlike the header-only SAMPLES): a gradient of w×h. */
    async function picture(w: number, h: number, format: 'jpeg' | 'png' | 'gif' | 'webp'): Promise<Buffer> {
      const raw = Buffer.alloc(w * h * 3);
      for (let i = 0; i < raw.length; i++) raw[i] = (i % 251) ^ (Math.floor(i / (w * 3)) % 256);
      return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
        [format]()
        .toBuffer();
    }

    /** The image parts of the user messages of the last streamed call the simulator received. */
    const sentImages = () => {
      const call = h.chatCalls().at(-1);
      const parts = ((call?.messages ?? []) as Array<{ role: string; content: unknown }>).flatMap((m) =>
        m.role === 'user' && Array.isArray(m.content) ? (m.content as Array<{ type: string; image_url?: { url: string } }>) : [],
      );
      return parts.flatMap((p) => (p.type === 'image_url' && p.image_url ? [parseDataUrl(p.image_url.url)] : []));
    };

    it('sends the image as an image_url data URL, counts it, and sends it again with the history', async () => {
      const imageId = await h.uploadImage(alice, SAMPLES.png(640, 480));
      const id = crypto.randomUUID();
      h.sim.clearRequests();
      const res = await h.post(alice, {
        id,
        trigger: 'submit-message',
        message: h.imageMessage('what is in this screenshot?', imageId),
        settings: h.settings('kimi-k2.6', { thinking: false }),
      });
      expect(res.status).toBe(200);
      const chunks = parseSse(await res.text());
      expect(textOf(chunks)).toContain('I saw 1 image: png 640×480.');
      const call = h.chatCalls()[0];
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
      const second = h.chatCalls()[0];
      expect(JSON.stringify(second?.messages)).toContain('image_url');
    });

    it('sends a 4000×3000 JPEG scaled to fit 2048 px (made once, counted as estimated), and serves the original', async () => {
      const original = await picture(4000, 3000, 'jpeg');
      const imageId = await h.uploadImage(alice, original);
      // Scaled at upload: the copy sits beside the original, named for the maximum side.
      const { imagesDir } = await import('@/lib/documents/images');
      const sha = createHash('sha256').update(original).digest('hex');
      expect(await readdir(imagesDir())).toEqual(expect.arrayContaining([sha, `${sha}.${MAX_IMAGE_SIDE}`]));
      const copy = path.join(imagesDir(), `${sha}.${MAX_IMAGE_SIDE}`);
      const before = (await stat(copy)).mtimeMs;
      const id = crypto.randomUUID();
      h.sim.clearRequests();
      const res = await h.post(alice, {
        id,
        trigger: 'submit-message',
        message: h.imageMessage('what is this?', imageId, 'image/jpeg'),
        settings: h.settings('kimi-k2.6', { thinking: false }),
      });
      expect(res.status).toBe(200);
      // The simulator decoded what it received: 2048×1536, still a JPEG.
      expect(textOf(parseSse(await res.text()))).toContain('I saw 1 image: jpeg 2048×1536.');
      const [sent] = sentImages();
      expect(sent?.mediaType).toBe('image/jpeg');
      const info = readImageInfo(sent?.bytes ?? new Uint8Array());
      expect(info).toEqual({ format: 'jpeg', width: 2048, height: 1536 });
      expect((await sharp(Buffer.from(sent?.bytes ?? [])).metadata()).width).toBe(2048);
      // What the estimate counts is what was sent.
      expect(imageTokens(info?.width ?? 0, info?.height ?? 0)).toBe(imageTokens(4000, 3000));

      // Made once: the turns send the copy made at upload without writing it again.
      h.sim.clearRequests();
      const next = await h.turn(alice, id, 'and the colours?', 'kimi-k2.6', { thinking: false });
      expect(next.filter((c) => c.type === 'error')).toEqual([]);
      expect(readImageInfo(sentImages()[0]?.bytes ?? new Uint8Array())).toEqual({ format: 'jpeg', width: 2048, height: 1536 });
      expect((await stat(copy)).mtimeMs).toBe(before);

      // The thread still shows the original, byte for byte.
      const served = await serve.GET(new Request(`http://127.0.0.1:3000/api/images/${imageId}`, { headers: { cookie: alice.cookie } }), {
        params: Promise.resolve({ id: imageId }),
      });
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(original)).toBe(true);
    }, 90_000);

    it('sends a large GIF as its first frame in PNG, and a large PNG as PNG; small images as uploaded', async () => {
      const gif = await h.uploadImage(alice, await picture(3000, 100, 'gif'));
      const png = await h.uploadImage(alice, await picture(100, 2500, 'png'));
      const small = await picture(300, 200, 'webp');
      const webp = await h.uploadImage(alice, small);
      for (const [imageId, expected] of [
        [gif, { format: 'png', width: 2048, height: 68 }],
        [png, { format: 'png', width: 82, height: 2048 }],
        [webp, { format: 'webp', width: 300, height: 200 }],
      ] as const) {
        h.sim.clearRequests();
        const res = await h.post(alice, {
          id: crypto.randomUUID(),
          trigger: 'submit-message',
          message: h.imageMessage('and this?', imageId),
          settings: h.settings('kimi-k2.6', { thinking: false }),
        });
        expect(res.status).toBe(200);
        await res.text();
        const [sent] = sentImages();
        expect(readImageInfo(sent?.bytes ?? new Uint8Array())).toEqual(expected);
        if (imageId === webp) expect(Buffer.from(sent?.bytes ?? []).equals(small)).toBe(true);
      }
    }, 90_000);

    it('refuses a large image whose header reads but whose pixels do not decode', async () => {
      const res = await h.routes.images.POST!(
        new Request('http://127.0.0.1:3000/api/images', {
          method: 'POST',
          body: new Uint8Array(SAMPLES.png(4000, 3000)),
          headers: { cookie: alice.cookie },
        }),
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('image_corrupt');
    });

    it("the context meter and its cost count the images attached in the composer, only the user's own", async () => {
      const id = crypto.randomUUID();
      await h.turn(alice, id, 'hello', 'kimi-k2.6', { thinking: false });
      const mine = await h.uploadImage(alice, SAMPLES.png(1000, 500));
      const bobs = await h.uploadImage(bob, SAMPLES.png(1000, 500));
      const meter = async (images?: string) => {
        const query = new URLSearchParams({ model: 'kimi-k2.6', draft: 'look', ...(images !== undefined ? { images } : {}) });
        const res = await context.GET(
          new Request(`http://127.0.0.1:3000/api/conversations/${id}/context?${query}`, { headers: { cookie: alice.cookie } }),
          {
            params: Promise.resolve({ id }),
          },
        );
        return { status: res.status, body: (await res.json()) as { historyTokens: number; totalTokens: number; cost: { amount: number } | null } };
      };
      const without = await meter();
      const withImage = await meter(mine);
      expect(withImage.status).toBe(200);
      expect(withImage.body.historyTokens - without.body.historyTokens).toBe(imageTokens(1000, 500));
      expect(withImage.body.totalTokens - without.body.totalTokens).toBe(imageTokens(1000, 500));
      expect(withImage.body.cost?.amount).toBeGreaterThan(without.body.cost?.amount ?? Number.POSITIVE_INFINITY);
      // The same image twice counts twice (it is sent twice); someone else's counts nothing.
      expect((await meter(`${mine},${mine}`)).body.historyTokens - without.body.historyTokens).toBe(2 * imageTokens(1000, 500));
      expect((await meter(bobs)).body.historyTokens).toBe(without.body.historyTokens);
      expect((await meter('not-an-id')).status).toBe(400);
      expect((await meter(Array.from({ length: 5 }, () => mine).join(','))).status).toBe(400);
    });

    it('an edited message keeps its image: the edited turn sends it again', async () => {
      const imageId = await h.uploadImage(alice, SAMPLES.png(640, 480));
      const id = crypto.randomUUID();
      const first = h.imageMessage('what is this?', imageId);
      const res = await h.post(alice, { id, trigger: 'submit-message', message: first, settings: h.settings('kimi-k2.6', { thinking: false }) });
      expect(res.status).toBe(200);
      await res.text();
      h.sim.clearRequests();
      const edited = { ...h.imageMessage('describe it instead', imageId), id: crypto.randomUUID() };
      const again = await h.post(alice, {
        id,
        trigger: 'submit-message',
        message: edited,
        editOf: first.id,
        settings: h.settings('kimi-k2.6', { thinking: false }),
      });
      expect(again.status).toBe(200);
      expect(textOf(parseSse(await again.text()))).toContain('I saw 1 image: png 640×480.');
      expect(sentImages()).toHaveLength(1);
      // The edit is a new branch beside the first message (both kept); it carries the image too.
      const users = await h.prisma.message.findMany({ where: { conversationId: id, role: 'user' }, orderBy: { seq: 'asc' } });
      expect(users.map((u) => u.id)).toEqual([first.id, edited.id]);
      expect(users[1]?.parentId).toBe(users[0]?.parentId ?? null);
      expect(JSON.stringify(users[1]?.parts)).toContain(`/api/images/${imageId}`);
    });

    it('with the extractor setting on Kimi: uploads each image once (purpose=image, scaled) and sends it as ms://<id>', async () => {
      const { setExtractor } = await import('@/lib/documents/extractor-setting');
      await setExtractor('kimi');
      try {
        const large = await h.uploadImage(alice, await picture(3000, 1000, 'png'));
        const small = await h.uploadImage(alice, SAMPLES.png(640, 480));
        const id = crypto.randomUUID();
        h.sim.clearRequests();
        const first = { ...h.imageMessage('what are these?', large), id: crypto.randomUUID() };
        first.parts.push({ type: 'file', mediaType: 'image/png', url: `/api/images/${small}`, filename: 'b.png' });
        const res = await h.post(alice, { id, trigger: 'submit-message', message: first, settings: h.settings('kimi-k2.6', { thinking: false }) });
        expect(res.status).toBe(200);
        // The simulator resolved the ms:// ids to what was uploaded: the large one scaled.
        expect(textOf(parseSse(await res.text()))).toContain('I saw 2 images: png 2048×683, png 640×480.');
        const uploads = h.sim.requests().filter((r) => r.path === '/v1/files' && r.method === 'POST');
        expect(uploads.map((u) => (u.params as { purpose?: string })?.purpose)).toEqual(['image', 'image']);
        const urls = () => {
          const call = h.chatCalls().at(-1);
          return JSON.stringify(call?.messages).match(/"url":"[^"]{0,60}/g) ?? [];
        };
        const sent = urls();
        expect(sent).toHaveLength(2);
        for (const url of sent) expect(url).toMatch(/^"url":"ms:\/\/[\w-]+$/);
        expect(await h.prisma.kimiImageFile.count()).toBeGreaterThanOrEqual(2);

        // The next turn, and the same bytes uploaded again by another user, reuse the ids: no new upload.
        h.sim.clearRequests();
        const next = await h.turn(alice, id, 'and now?', 'kimi-k2.6', { thinking: false });
        expect(next.filter((c) => c.type === 'error')).toEqual([]);
        expect(urls()).toEqual(sent);
        const bobsCopy = await h.uploadImage(bob, SAMPLES.png(640, 480));
        const bobs = await h.post(bob, {
          id: crypto.randomUUID(),
          trigger: 'submit-message',
          message: h.imageMessage('mine', bobsCopy),
          settings: h.settings('kimi-k2.6', { thinking: false }),
        });
        expect(bobs.status).toBe(200);
        expect(textOf(parseSse(await bobs.text()))).toContain('I saw 1 image: png 640×480.');
        expect(h.sim.requests().filter((r) => r.path === '/v1/files')).toHaveLength(0);

        // Kimi loses a file (deleted on its side): the turn fails with a retryable, specific error, the id is
        // forgotten, and the retry uploads the image again and is answered.
        const lost = (sent[0] as string).replace('"url":"ms://', '');
        const deleted = await fetch(`${h.sim.url}/files/${lost}`, { method: 'DELETE', headers: { authorization: 'Bearer sk-integration' } });
        expect(deleted.status).toBe(200);
        const refused = await h.turn(alice, id, 'still there?', 'kimi-k2.6', { thinking: false });
        expect(metadataOf(refused)).toMatchObject({ status: 'error', error: { code: 'image_file_gone', params: { fileId: lost }, retryable: true } });
        expect(await h.prisma.kimiImageFile.count({ where: { fileId: lost } })).toBe(0);
        h.sim.clearRequests();
        const retried = await h.turn(alice, id, 'still there?', 'kimi-k2.6', { thinking: false });
        expect(retried.filter((c) => c.type === 'error')).toEqual([]);
        expect(h.sim.requests().filter((r) => r.path === '/v1/files' && r.method === 'POST')).toHaveLength(1);
        expect(urls()).not.toContain(`"url":"ms://${lost}`);
      } finally {
        await setExtractor('local');
      }
    }, 90_000);

    it("refuses another user's image id (and a guessed one) before any call", async () => {
      const aliceImage = await h.uploadImage(alice, SAMPLES.gif(10, 10));
      for (const imageId of [aliceImage, crypto.randomUUID()]) {
        h.sim.clearRequests();
        const res = await h.post(bob, {
          id: crypto.randomUUID(),
          trigger: 'submit-message',
          message: h.imageMessage('mine?', imageId),
          settings: h.settings('kimi-k2.6'),
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: object }).error).toEqual({ code: 'bad_request', detail: 'image not found', retryable: false });
        expect(h.sim.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
      }
    });

    it('refuses more than 4 images in one message', async () => {
      const imageId = await h.uploadImage(alice, SAMPLES.png(8, 8));
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

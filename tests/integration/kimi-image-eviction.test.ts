// Kimi keeps at most so many files an account (1,000; the simulator here: 2). Images sent by file id stay there,
// so at the limit the app deletes the oldest image files it uploaded, forgets them, and uploads the new one; an
// evicted image needed again is simply uploaded again. Real routes, the simulator over HTTP, PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { SAMPLES } from '@/tests/support/images';
import { metadataOf, parseSse, textOf } from '@/tests/support/ui-stream';

describe('image files at Kimi’s file limit', () => {
  let h: ChatHarness;
  let alice: Who;

  beforeAll(async () => {
    h = await openChatHarness('pglite', {}, { maxFiles: 2 });
    alice = await h.signedIn('evict-alice@example.com');
    const { setExtractor } = await import('@/lib/documents/extractor-setting');
    await setExtractor('kimi');
  });
  afterAll(() => h?.close());

  const imageOf = (width: number) => h.uploadImage(alice, SAMPLES.png(width, 480));

  /** A new chat whose first message carries the image; the answer names the images Kimi read. */
  async function ask(imageId: string): Promise<string> {
    const res = await h.post(alice, {
      id: crypto.randomUUID(),
      trigger: 'submit-message',
      message: h.imageMessage('what is this?', imageId),
      settings: h.settings('kimi-k2.6', { thinking: false }),
    });
    expect(res.status).toBe(200);
    const chunks = parseSse(await res.text());
    expect(metadataOf(chunks).status).not.toBe('error');
    return textOf(chunks);
  }

  const kimiFiles = async () =>
    (
      (await (await fetch(`${h.sim.url}/files`, { headers: { authorization: 'Bearer sk-integration' } })).json()) as { data: Array<{ id: string }> }
    ).data.map((f) => f.id);
  const known = async () => (await h.prisma.kimiImageFile.findMany({ orderBy: { createdAt: 'asc' } })).map((f) => f.fileId);

  it('deletes the oldest image files it uploaded to make room, and uploads an evicted one again when needed', async () => {
    const [a, b, c] = [await imageOf(640), await imageOf(641), await imageOf(642)];
    expect(await ask(a)).toContain('png 640×480');
    expect(await ask(b)).toContain('png 641×480');
    const full = await known();
    expect(full).toHaveLength(2);
    expect((await kimiFiles()).sort()).toEqual([...full].sort());

    // The account is full: the third image still goes out, after the app's older files were deleted on Kimi.
    expect(await ask(c)).toContain('png 642×480');
    const after = await known();
    expect(after).toHaveLength(1);
    expect(after.some((id) => full.includes(id))).toBe(false);
    expect(await kimiFiles()).toEqual(after);

    // The first image, evicted, is uploaded again when a turn needs it: no error reaches the user.
    expect(await ask(a)).toContain('png 640×480');
    expect(await known()).toHaveLength(2);
  });
});

// Kimi keeps at most so many files an account (1,000; the simulator here: 2). Images sent by file id stay there,
// so at the limit the app deletes the oldest image files it uploaded, forgets them, and uploads the new one; an
// evicted image needed again is simply uploaded again. Real routes, the simulator over HTTP, PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { SAMPLES } from '@/tests/support/images';
import { metadataOf, parseSse, textOf } from '@/tests/support/ui-stream';

type Route = { POST: (req: Request) => Promise<Response> };

describe('image files at Kimi’s file limit', () => {
  let h: ChatHarness;
  let alice: Who;
  let upload: Route;

  beforeAll(async () => {
    h = await openChatHarness('pglite', {}, { maxFiles: 2 });
    alice = await h.signedIn('evict-alice@example.com');
    upload = (await import('@/app/api/images/route')) as unknown as Route;
    const { setExtractor } = await import('@/lib/documents/extractor-setting');
    await setExtractor('kimi');
  });
  afterAll(() => h?.close());

  async function imageOf(width: number): Promise<string> {
    const res = await upload.POST(
      new Request('http://127.0.0.1:3000/api/images', {
        method: 'POST',
        body: new Uint8Array(SAMPLES.png(width, 480)),
        headers: { cookie: alice.cookie },
      }),
    );
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  /** A new chat whose first message carries the image; the answer names the images Kimi read. */
  async function ask(imageId: string): Promise<string> {
    const res = await h.post(alice, {
      id: crypto.randomUUID(),
      trigger: 'submit-message',
      message: {
        id: crypto.randomUUID(),
        role: 'user',
        parts: [
          { type: 'text', text: 'what is this?' },
          { type: 'file', mediaType: 'image/png', url: `/api/images/${imageId}`, filename: 'a.png' },
        ],
      },
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

// Image uploads (issue 14): checked by content, stored once per hash under the data folder (private), owner
// scoped, and every bad input gets its own error: SVG and other types, corrupt headers, empty, too large.
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '@/lib/documents/images';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { SAMPLES } from '@/tests/support/images';

type Route = { POST?: (req: Request) => Promise<Response>; GET?: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response> };

describe('image uploads', () => {
  let h: ChatHarness;
  let alice: Who;
  let upload: Route;
  let one: Route;

  beforeAll(async () => {
    h = await openChatHarness('pglite');
    alice = await h.signedIn('images@example.com');
    upload = (await import('@/app/api/images/route')) as Route;
    one = (await import('@/app/api/images/[id]/route')) as Route;
  });
  afterAll(() => h?.close());

  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    upload.POST!(new Request('http://127.0.0.1:3000/api/images', { method: 'POST', body, headers: { cookie: alice.cookie, ...headers } }));

  it.each(Object.keys(SAMPLES) as Array<keyof typeof SAMPLES>)('%s: stored privately, served back to its owner with its type', async (format) => {
    const bytes = SAMPLES[format](640, 480);
    const res = await post(new Uint8Array(bytes));
    expect(res.status).toBe(201);
    const image = (await res.json()) as { id: string; format: string; width: number; height: number; tokens: number };
    expect(image).toMatchObject({ format, width: 640, height: 480, tokens: 23 * 18 + 16 });
    const row = await h.prisma.image.findUniqueOrThrow({ where: { id: image.id } });
    const file = path.join(process.env.DATA_DIR!, 'images', row.sha256);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const served = await one.GET!(new Request(`http://127.0.0.1:3000/api/images/${image.id}`, { headers: { cookie: alice.cookie } }), {
      params: Promise.resolve({ id: image.id }),
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe(`image/${format}`);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
  });

  it('refuses each bad input with its own error', async () => {
    const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>';
    const cases: Array<[BodyInit, number, object]> = [
      [svg, 415, { code: 'image_unsupported', params: { type: 'svg' } }],
      ['%PDF-1.7 not an image', 415, { code: 'image_unsupported', params: { type: 'unknown' } }],
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 400, { code: 'image_corrupt' }],
      ['', 400, { code: 'empty_file' }],
      [new Uint8Array(MAX_IMAGE_BYTES + 1), 413, { code: 'image_too_large', params: { limitMb: 20 } }],
    ];
    for (const [body, status, error] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(error)).toBe(status);
      expect(((await res.json()) as { error: object }).error).toMatchObject(error);
    }
    // A declared length over the limit is refused before the body is read.
    const declared = await post('x', { 'content-length': String(MAX_IMAGE_BYTES + 1) });
    expect(declared.status).toBe(413);
  });
});

// Contract: `image_url` parts (shared/kimi-api.md "Images") through the official `openai` client: data URLs of
// PNG, JPEG, WebP and GIF are read and billed as prompt tokens deterministically from their size; web URLs,
// SVG and corrupt images are refused with Kimi's messages. Images uploaded with `purpose=image` are referenced as
// `ms://<id>` and counted the same way; an unknown id is refused.
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageTokens, readImageInfo } from '../../lib/kimi/images';
import { countMessageTokens } from '../../lib/kimi/tokenizer';
import { type Simulator, startSimulator } from '../../sim';
import { IMAGE_MESSAGES } from '../../sim/images';
import { MEDIA, SAMPLES } from '../support/images';
import { client } from './helpers';

let sim: Simulator;
let openai: OpenAI;
beforeAll(async () => {
  sim = await startSimulator();
  openai = client(sim);
});
afterAll(() => sim.close());

const data = (media: string, bytes: Buffer) => `data:${media};base64,${bytes.toString('base64')}`;
const withImage = (url: string, text = 'what is in this picture?') => [
  {
    role: 'user',
    content: [
      { type: 'text', text },
      { type: 'image_url', image_url: { url } },
    ],
  },
];
const NO_THINKING = { model: 'kimi-k2.6', thinking: { type: 'disabled' } };

async function failure(body: Record<string, unknown>): Promise<{ status: number; message: string }> {
  const error: any = await openai.chat.completions.create(body as any).then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeDefined();
  return { status: error.status, message: error.error?.message };
}

describe('image_url parts', () => {
  it.each(Object.keys(SAMPLES) as Array<keyof typeof SAMPLES>)('%s data URL: read, described and billed from its size', async (format) => {
    const bytes = SAMPLES[format](300, 100);
    expect(readImageInfo(bytes)).toEqual({ format, width: 300, height: 100 });
    const messages = withImage(data(MEDIA[format], bytes));
    const reply: any = await openai.chat.completions.create({ ...NO_THINKING, messages } as any);
    expect(reply.choices[0].message.content).toContain(`I saw 1 image: ${format} 300×100.`);
    expect(reply.usage.prompt_tokens).toBe(countMessageTokens(messages as any) + imageTokens(300, 100));
    expect(imageTokens(300, 100)).toBe(11 * 4 + 16);
  });

  it('large images count as scaled to fit 2048 px', () => {
    expect(imageTokens(4096, 4096)).toBe(imageTokens(2048, 2048));
    expect(imageTokens(2048, 2048)).toBe(74 * 74 + 16);
  });

  it('refuses web URLs, SVG and corrupt images with Kimi’s messages', async () => {
    expect(await failure({ ...NO_THINKING, messages: withImage('https://example.com/cat.png') })).toEqual({
      status: 400,
      message: IMAGE_MESSAGES.url('https://example.com/cat.png'),
    });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
    expect(await failure({ ...NO_THINKING, messages: withImage(data('image/svg+xml', svg)) })).toEqual({
      status: 400,
      message: IMAGE_MESSAGES.format('svg'),
    });
    expect(await failure({ ...NO_THINKING, messages: withImage(data('image/png', svg)) })).toEqual({
      status: 400,
      message: IMAGE_MESSAGES.format('svg'),
    });
    expect(await failure({ ...NO_THINKING, messages: withImage(data('image/png', Buffer.from('not an image'))) })).toEqual({
      status: 400,
      message: IMAGE_MESSAGES.format('image/png'),
    });
  });
});

describe('purpose=image files and ms:// references', () => {
  it('an uploaded image is referenced as ms://<id>: read, described and billed from its size like a data URL', async () => {
    const bytes = SAMPLES.jpeg(1000, 4000);
    const file = await openai.files.create({ file: await toFile(bytes, 'photo.jpg'), purpose: 'image' as any });
    expect(file).toMatchObject({ object: 'file', purpose: 'image', bytes: bytes.length, filename: 'photo.jpg' });
    const messages = withImage(`ms://${file.id}`);
    const reply: any = await openai.chat.completions.create({ ...NO_THINKING, messages } as any);
    expect(reply.choices[0].message.content).toContain('I saw 1 image: jpeg 1000×4000.');
    expect(reply.usage.prompt_tokens).toBe(countMessageTokens(messages as any) + imageTokens(1000, 4000));
    // The same count as the same bytes sent as a data URL.
    const inline: any = await openai.chat.completions.create({ ...NO_THINKING, messages: withImage(data('image/jpeg', bytes)) } as any);
    expect(inline.usage.prompt_tokens).toBe(reply.usage.prompt_tokens);
  });

  it('refuses an unknown or deleted id, an SVG or non-image upload, and an unknown purpose', async () => {
    expect(await failure({ ...NO_THINKING, messages: withImage('ms://cnot0a0real0id') })).toEqual({
      status: 400,
      message: IMAGE_MESSAGES.url('ms://cnot0a0real0id'),
    });
    const file = await openai.files.create({ file: await toFile(SAMPLES.png(10, 10), 'a.png'), purpose: 'image' as any });
    await openai.files.delete(file.id);
    expect((await failure({ ...NO_THINKING, messages: withImage(`ms://${file.id}`) })).message).toBe(IMAGE_MESSAGES.url(`ms://${file.id}`));

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
    const refused = async (bytes: Buffer, purpose: string) =>
      openai.files.create({ file: await toFile(bytes, 'x.png'), purpose: purpose as any }).then(
        () => undefined,
        (e: any) => ({ status: e.status, message: e.error?.message }),
      );
    expect(await refused(svg, 'image')).toEqual({ status: 400, message: IMAGE_MESSAGES.format('svg') });
    expect(await refused(Buffer.from('not an image'), 'image')).toEqual({ status: 400, message: IMAGE_MESSAGES.format('unknown') });
    expect((await refused(SAMPLES.png(10, 10), 'pictures'))?.status).toBe(400);
  });
});

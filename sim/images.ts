// `image_url` content parts (kimi-api.md "Images"): `data:` URLs of PNG, JPEG, WebP or GIF are read and counted
// (lib/kimi/images.ts: a token per 28×28 tile of the size scaled to fit 2048, plus 16); a web URL is refused
// with Kimi's "unsupported image url", anything else (SVG, a corrupt or unknown image) with "unsupported image
// format". The counts are added to the call's prompt tokens.
import { imageTokens, looksLikeSvg, parseDataUrl, readImageInfo } from '../lib/kimi/images';
import { invalidRequest } from './errors';

interface ImagePart {
  type: string;
  image_url?: { url?: unknown } | string;
}

export const IMAGE_MESSAGES = {
  url: (url: string) => `Invalid request: unsupported image url: ${url.slice(0, 100)}`,
  format: (what: string) => `Invalid request: unsupported image format: ${what}`,
} as const;

/** Throws Kimi's 400 for a bad image part; returns the prompt tokens the images add. */
export function checkImages(messages: ReadonlyArray<{ content?: unknown }>): number {
  let tokens = 0;
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as ImagePart[]) {
      if (part?.type !== 'image_url') continue;
      const raw = typeof part.image_url === 'string' ? part.image_url : part.image_url?.url;
      const url = typeof raw === 'string' ? raw : '';
      if (!url.startsWith('data:')) throw invalidRequest(IMAGE_MESSAGES.url(url));
      const parsed = parseDataUrl(url);
      if (!parsed) throw invalidRequest(IMAGE_MESSAGES.format('not a base64 data url'));
      if (parsed.mediaType.includes('svg') || looksLikeSvg(parsed.bytes)) throw invalidRequest(IMAGE_MESSAGES.format('svg'));
      const info = readImageInfo(parsed.bytes);
      if (!info) throw invalidRequest(IMAGE_MESSAGES.format(parsed.mediaType));
      tokens += imageTokens(info.width, info.height);
    }
  }
  return tokens;
}

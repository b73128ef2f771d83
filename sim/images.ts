// `image_url` content parts (kimi-api.md "Images"): `data:` URLs of PNG, JPEG, WebP or GIF, or `ms://<id>` of a
// file uploaded with `purpose=image`, are read and counted (lib/kimi/images.ts: a token per 28×28 tile of the
// size scaled to fit 2048, plus 16); a web URL is refused with Kimi's "unsupported image url", anything else (SVG,
// a corrupt or unknown image) with "unsupported image format". An `ms://` id this account never uploaded (or
// deleted) is refused as an unsupported image url too: Kimi's message for it is not recorded, and that is the
// recorded refusal of an image reference it cannot use. The counts are added to the call's prompt tokens.
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

/** The bytes of an uploaded `purpose=image` file by id (sim/files.ts), or undefined. */
export type ImageFiles = (fileId: string) => Uint8Array | undefined;

const MS = 'ms://';

/** The image an `image_url` refers to — a data: URL's bytes or an uploaded file's — or null when it cannot be read. */
export function imageOf(url: string, files: ImageFiles): { mediaType: string; bytes: Uint8Array } | null {
  if (url.startsWith(MS)) {
    const bytes = files(url.slice(MS.length));
    return bytes ? { mediaType: '', bytes } : null;
  }
  return parseDataUrl(url);
}

const urlOf = (part: ImagePart): string => {
  const raw = typeof part.image_url === 'string' ? part.image_url : part.image_url?.url;
  return typeof raw === 'string' ? raw : '';
};

/** The `image_url` parts' URLs of a message's content, in order. */
export function imageUrls(content: unknown): string[] {
  if (!Array.isArray(content)) return [];
  return (content as ImagePart[]).flatMap((part) => (part?.type === 'image_url' ? [urlOf(part)] : []));
}

/** Throws Kimi's 400 for a bad image part; returns the prompt tokens the images add. */
export function checkImages(messages: ReadonlyArray<{ content?: unknown }>, files: ImageFiles): number {
  let tokens = 0;
  for (const message of messages) {
    for (const url of imageUrls(message.content)) {
      if (url.startsWith(MS)) {
        if (!files(url.slice(MS.length))) throw invalidRequest(IMAGE_MESSAGES.url(url));
      } else if (!url.startsWith('data:')) throw invalidRequest(IMAGE_MESSAGES.url(url));
      const image = imageOf(url, files);
      if (!image) throw invalidRequest(IMAGE_MESSAGES.format('not a base64 data url'));
      if (image.mediaType.includes('svg') || looksLikeSvg(image.bytes)) throw invalidRequest(IMAGE_MESSAGES.format('svg'));
      const info = readImageInfo(image.bytes);
      if (!info) throw invalidRequest(IMAGE_MESSAGES.format(image.mediaType || 'unknown'));
      tokens += imageTokens(info.width, info.height);
    }
  }
  return tokens;
}

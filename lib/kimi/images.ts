// Images as Kimi takes them (kimi-api.md "Images"): PNG, JPEG, WebP and GIF, sent as `image_url` parts with a
// `data:` URL. The format is read from the bytes (never from a name or a declared type), with the pixel size,
// and the token estimate is one rule shared by the simulator (its deterministic count) and the app's meter:
// one token per 28×28 tile, plus 16 for the image, after scaling to fit MAX_IMAGE_SIDE (Kimi bills images
// as prompt tokens; its own count is what the ledger records).

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const IMAGE_MEDIA_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/** Larger images are counted (and, in the app, sent) as if scaled to fit this side. */
export const MAX_IMAGE_SIDE = 2048;
const TILE = 28;
const IMAGE_OVERHEAD_TOKENS = 16;

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Looks like SVG (XML text with an <svg> element): refused by Kimi as an unsupported format. */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart().toLowerCase();
  return head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'));
}

/** The format and pixel size, or null when the bytes are not a whole-enough PNG, JPEG, WebP or GIF. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | null {
  const b = bytes;
  const u16be = (i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  const u16le = (i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
  const u24le = (i: number) => u16le(i) | ((b[i + 2] ?? 0) << 16);
  const u32be = (i: number) => ((u16be(i) << 16) >>> 0) + u16be(i + 2);
  const ascii = (i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));
  const ok = (format: ImageFormat, width: number, height: number): ImageInfo | null => (width > 0 && height > 0 ? { format, width, height } : null);

  if (b.length >= 24 && b[0] === 0x89 && ascii(1, 3) === 'PNG' && ascii(12, 4) === 'IHDR') return ok('png', u32be(16), u32be(20));
  if (b.length >= 10 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return ok('gif', u16le(6), u16le(8));
  if (b.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8X') return ok('webp', u24le(24) + 1, u24le(27) + 1);
    if (chunk === 'VP8 ') return ok('webp', u16le(26) & 0x3fff, u16le(28) & 0x3fff);
    if (chunk === 'VP8L') {
      const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
      return ok('webp', (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
    }
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // Walk the segments to the first start-of-frame marker, which carries the size.
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1] ?? 0;
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      const length = u16be(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return ok('jpeg', u16be(i + 7), u16be(i + 5));
      i += 2 + length;
    }
    return null;
  }
  return null;
}

/** The pixel size counted (and sent): scaled down to fit MAX_IMAGE_SIDE, never up. */
export function scaledSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Estimated prompt tokens of one image: a token per 28×28 tile of its scaled size, plus 16. */
export function imageTokens(width: number, height: number): number {
  const size = scaledSize(width, height);
  return Math.ceil(size.width / TILE) * Math.ceil(size.height / TILE) + IMAGE_OVERHEAD_TOKENS;
}

/** Splits a `data:` URL into its media type and bytes, or null when it is not a base64 data URL. */
export function parseDataUrl(url: string): { mediaType: string; bytes: Uint8Array } | null {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!match) return null;
  return { mediaType: (match[1] ?? '').toLowerCase(), bytes: Uint8Array.from(Buffer.from(match[2] ?? '', 'base64')) };
}

export function dataUrl(format: ImageFormat, bytes: Uint8Array): string {
  return `data:${IMAGE_MEDIA_TYPES[format]};base64,${Buffer.from(bytes).toString('base64')}`;
}

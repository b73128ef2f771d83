// What Kimi is sent for a stored image: the original when it fits MAX_IMAGE_SIDE, else a scaled copy made
// once with sharp (libvips; measured ~17× faster than pure-JS jimp on a 4000×3000 JPEG, half the memory) and
// kept beside the original as `<sha256>.<side>` — so the bytes sent have exactly the size the token estimate
// counts (lib/kimi/images.ts scaledSize). JPEG and WebP stay JPEG and WebP, PNG stays PNG; a large GIF becomes
// its first frame as PNG (Kimi reads one picture; PNG keeps its transparency). EXIF orientation is applied,
// as the metadata that carries it is not kept. The original stays untouched for display.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { type ImageFormat, MAX_IMAGE_SIDE, scaledSize } from '@/lib/kimi/images';

export interface StoredImageFile {
  sha256: string;
  format: ImageFormat;
  width: number;
  height: number;
}

export interface SendableImage {
  data: Buffer;
  format: ImageFormat;
}

/** The format a scaled copy is written in. */
export const scaledFormat = (format: ImageFormat): ImageFormat => (format === 'gif' ? 'png' : format);

const needsScaling = (image: StoredImageFile) => Math.max(image.width, image.height) > MAX_IMAGE_SIDE;

/**
 * The bytes to send for an image kept in `dir`: the original, or its scaled copy (made on first need).
 * `source`: where the original's bytes are read, when not yet in `dir` (an upload being checked).
 */
export async function sendableImage(dir: string, image: StoredImageFile, source = path.join(dir, image.sha256)): Promise<SendableImage> {
  if (!needsScaling(image)) return { data: await readFile(source), format: image.format };
  const copy = path.join(dir, `${image.sha256}.${MAX_IMAGE_SIDE}`);
  const format = scaledFormat(image.format);
  const cached = await readFile(copy).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (cached) return { data: cached, format };
  const data = await scale(await readFile(source), image);
  // Written under a unique name and renamed: two turns scaling the same image at once both end with a whole file.
  const temp = `${copy}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, data, { mode: 0o600 });
    await rename(temp, copy);
  } finally {
    await rm(temp, { force: true });
  }
  return { data, format };
}

/** Makes the scaled copy ahead of the first turn (at upload), so no turn waits for it; a no-op when it fits. */
export async function prepareSendable(dir: string, image: StoredImageFile, source: string): Promise<void> {
  if (needsScaling(image)) await sendableImage(dir, image, source);
}

async function scale(bytes: Buffer, image: StoredImageFile): Promise<Buffer> {
  const pipeline = sharp(bytes, { pages: 1 }).autoOrient();
  const { orientation } = await sharp(bytes).metadata();
  const size = scaledSize(image.width, image.height);
  // Orientations 5–8 turn the picture a quarter: the long side is then the other one (same token count).
  const [width, height] = orientation && orientation >= 5 ? [size.height, size.width] : [size.width, size.height];
  const resized = pipeline.resize(width, height, { fit: 'fill' });
  const format = scaledFormat(image.format);
  if (format === 'jpeg') return resized.jpeg({ quality: 85 }).toBuffer();
  if (format === 'webp') return resized.webp({ quality: 85 }).toBuffer();
  return resized.png().toBuffer();
}

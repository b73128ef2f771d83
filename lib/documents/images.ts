// Images users attach (issue 14), stored like documents: streamed to a temporary file while hashed, checked
// by content (PNG, JPEG, WebP, GIF; SVG and anything else refused, a known header without a readable size is
// corrupt), kept once per hash under DATA_DIR/images, one row per upload, owner-scoped. Served only to their
// owner; sent to Kimi as `image_url` parts, scaled to fit MAX_IMAGE_SIDE (./image-scale.ts).
import 'server-only';
import { readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import type { Result } from '@/lib/errors';
import { type ImageFormat, imageTokens, looksLikeSvg, readImageInfo } from '@/lib/kimi/images';
import { mkdirPrivate } from '@/lib/security/data-dir';
import { prepareSendable, type SendableImage, sendableImage } from './image-scale';
import { receiveToTempFile } from './receive';

/** Largest image accepted (Kimi takes up to 100 MB a file; a chat image is far smaller). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export interface ImageSummary {
  id: string;
  format: ImageFormat;
  bytes: number;
  width: number;
  height: number;
  /** The estimated prompt tokens (lib/kimi/images.ts). */
  tokens: number;
}

const refuse = (
  status: number,
  code: 'image_unsupported' | 'image_corrupt' | 'image_too_large' | 'empty_file',
  params?: Record<string, string | number>,
) => ({ ok: false, status, error: { code, ...(params ? { params } : {}), retryable: false } }) as const;

const tooLarge = () => refuse(413, 'image_too_large', { limitMb: MAX_IMAGE_BYTES / 1024 / 1024 });

const MAGIC: ReadonlyArray<(b: Uint8Array) => boolean> = [
  (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  (b) => b[0] === 0xff && b[1] === 0xd8,
  (b) => String.fromCharCode(...b.subarray(0, 4)) === 'GIF8',
  (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
];

export function imagesDir(): string {
  return path.join(config().dataDir, 'images');
}

export async function uploadImage(userId: string, body: ReadableStream<Uint8Array> | null, declaredBytes?: number): Promise<Result<ImageSummary>> {
  if (declaredBytes !== undefined && declaredBytes > MAX_IMAGE_BYTES) return tooLarge();
  let received: Awaited<ReturnType<typeof receiveToTempFile>>;
  try {
    received = await receiveToTempFile(body, path.join(config().dataDir, 'uploads', 'tmp'), MAX_IMAGE_BYTES);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'file_too_large') return tooLarge();
    if (code === 'empty_file') return refuse(400, 'empty_file');
    throw error;
  }
  try {
    const bytes = await readFile(received.path);
    const info = readImageInfo(bytes);
    if (!info) {
      if (looksLikeSvg(bytes)) return refuse(415, 'image_unsupported', { type: 'svg' });
      if (MAGIC.some((m) => m(bytes))) return refuse(400, 'image_corrupt');
      return refuse(415, 'image_unsupported', { type: 'unknown' });
    }
    const dir = imagesDir();
    mkdirPrivate(dir);
    // A large image is scaled now, once: the upload's wait, not a turn's. One whose header reads but whose
    // pixels do not decode is corrupt (and is not kept).
    try {
      await prepareSendable(dir, { sha256: received.sha256, ...info }, received.path);
    } catch {
      return refuse(400, 'image_corrupt');
    }
    const target = path.join(dir, received.sha256);
    if (!(await stat(target).catch(() => null))) await rename(received.path, target);
    const row = await (await db()).image.create({
      data: { userId, sha256: received.sha256, format: info.format, bytes: received.bytes, width: info.width, height: info.height },
      select: { id: true },
    });
    return { ok: true, value: { id: row.id, ...info, bytes: received.bytes, tokens: imageTokens(info.width, info.height) } };
  } finally {
    await received.discard();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ImageSize = Pick<ImageSummary, 'width' | 'height'>;

/** The estimated prompt tokens of the images a prompt refers to, by id (each reference counts; absent ids 0). */
export function imagesTokens(ids: readonly string[], found: ReadonlyMap<string, ImageSize>): number {
  return ids.reduce((sum, id) => {
    const image = found.get(id);
    return sum + (image ? imageTokens(image.width, image.height) : 0);
  }, 0);
}

/** The user's images' sizes by id (others' and unknown ids are simply absent): what the meter counts. */
export async function readOwnImageSizes(userId: string, ids: readonly string[]): Promise<Map<string, ImageSize>> {
  const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (valid.length === 0) return new Map();
  const rows = await (await db()).image.findMany({ where: { id: { in: valid }, userId }, select: { id: true, width: true, height: true } });
  return new Map(rows.map((r) => [r.id, { width: r.width, height: r.height }]));
}

/** The user's images by id (others' and unknown ids are simply absent), with the bytes to send (scaled to fit). */
export async function readOwnImages(
  userId: string,
  ids: readonly string[],
): Promise<Map<string, ImageSize & { sha256: string; sent: SendableImage }>> {
  const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (valid.length === 0) return new Map();
  const rows = await (await db()).image.findMany({ where: { id: { in: valid }, userId } });
  // Read together: a history of several images is read in one wait, not one after another.
  const sent = await Promise.all(rows.map((row) => sendableImage(imagesDir(), { ...row, format: row.format as ImageFormat })));
  return new Map(rows.map((row, i) => [row.id, { width: row.width, height: row.height, sha256: row.sha256, sent: sent[i] as SendableImage }]));
}

/** One of the user's images as uploaded (for display), or null when it is not theirs or does not exist. */
export async function readOwnOriginal(userId: string, id: string): Promise<{ format: ImageFormat; data: Buffer } | null> {
  if (!UUID.test(id)) return null;
  const row = await (await db()).image.findFirst({ where: { id, userId }, select: { sha256: true, format: true } });
  return row ? { format: row.format as ImageFormat, data: await readFile(path.join(imagesDir(), row.sha256)) } : null;
}

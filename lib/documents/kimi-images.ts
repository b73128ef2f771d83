// Images by Kimi's file API (kimi-api.md "Images"), when the admin's extractor setting is `kimi`: the bytes sent
// for an image (scaled to fit, ./image-scale.ts) are uploaded once with `purpose=image` per Kimi account, the
// returned id is kept (KimiImageFile, by content hash and account), and the image goes out as `ms://<id>` —
// never as a web URL. Unlike extraction uploads these files stay on Kimi's side: they are referenced on every
// later turn (each distinct image counts against the account's 1,000 files; at the limit the oldest go).
import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { db } from '@/lib/db';
import { type AppError, ok, type Result, refuse } from '@/lib/errors';
import { kimiConnection } from '@/lib/kimi/connection';
import { chatErrorFromResponse, toAppError } from '@/lib/kimi/errors';
import { IMAGE_MEDIA_TYPES } from '@/lib/kimi/images';
import type { SendableImage } from './image-scale';

const fileSchema = z.object({ id: z.string().min(1) });
const UPLOAD_TIMEOUT_MS = 60_000;

/** Which Kimi account files belong to: the endpoint and key, hashed (the key itself is never stored). */
function accountOf(baseURL: string, apiKey: string): string {
  return createHash('sha256').update(`${baseURL}\n${apiKey}`).digest('hex').slice(0, 32);
}

export interface KimiImageInput {
  /** The original's content hash (Image.sha256). */
  sha256: string;
  sent: SendableImage;
}

/** `ms://<file id>` for each image by sha256, uploading those this account does not hold yet (together). */
export async function kimiImageUrls(images: readonly KimiImageInput[]): Promise<Result<Map<string, URL>>> {
  let connection: ReturnType<typeof kimiConnection>;
  try {
    connection = kimiConnection();
  } catch (error) {
    return refuse(toAppError(error));
  }
  const account = accountOf(connection.baseURL, connection.apiKey);
  const prisma = await db();
  const unique = [...new Map(images.map((i) => [i.sha256, i])).values()];
  const known = await prisma.kimiImageFile.findMany({ where: { account, sha256: { in: unique.map((i) => i.sha256) } } });
  const ids = new Map(known.map((k) => [k.sha256, k.fileId]));
  const missing = unique.filter((i) => !ids.has(i.sha256));
  const uploads = await Promise.all(missing.map((image) => uploadMakingRoom(connection, account, image)));
  for (const [i, result] of uploads.entries()) {
    if (!result.ok) return result;
    const sha256 = (missing[i] as KimiImageInput).sha256;
    ids.set(sha256, result.value);
    // Two turns uploading the same image at once: the first id kept wins; the other file is merely unused.
    await prisma.kimiImageFile.createMany({ data: [{ sha256, account, fileId: result.value }], skipDuplicates: true });
  }
  if (missing.length > 0) {
    const kept = await prisma.kimiImageFile.findMany({ where: { account, sha256: { in: missing.map((i) => i.sha256) } } });
    for (const k of kept) ids.set(k.sha256, k.fileId);
  }
  return ok(new Map([...ids].map(([sha256, id]) => [sha256, new URL(`ms://${id}`)])));
}

/** Kimi no longer holds this file (a turn was refused for it): the next turn uploads the image again. */
export async function forgetKimiImageFile(fileId: string): Promise<void> {
  await (await db()).kimiImageFile.deleteMany({ where: { fileId } });
}

type Connection = { baseURL: string; apiKey: string };

/** Image files deleted at once when Kimi's file limit (1,000 an account) is reached: the oldest we uploaded. */
const EVICT_AT_ONCE = 50;
const isFilesFull = (error: AppError) => /too many files/i.test(error.detail ?? '');

/**
 * Uploads the image; when the account holds as many files as Kimi allows, deletes the oldest image files this
 * app uploaded for it (and forgets them: a later turn that needs one uploads it again) and tries once more.
 */
async function uploadMakingRoom(connection: Connection, account: string, image: KimiImageInput): Promise<Result<string>> {
  const first = await upload(connection, image);
  if (first.ok || !isFilesFull(first.error)) return first;
  const prisma = await db();
  const oldest = await prisma.kimiImageFile.findMany({ where: { account }, orderBy: { createdAt: 'asc' }, take: EVICT_AT_ONCE });
  await Promise.all(oldest.map((file) => deleteFile(connection, file.fileId)));
  await prisma.kimiImageFile.deleteMany({ where: { account, fileId: { in: oldest.map((file) => file.fileId) } } });
  return upload(connection, image);
}

/** Best effort: a file already gone is as good as deleted, and a failure leaves it to the next eviction. */
async function deleteFile({ baseURL, apiKey }: Connection, fileId: string): Promise<void> {
  await fetch(`${baseURL}/files/${encodeURIComponent(fileId)}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${apiKey}` },
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  })
    .then((response) => response.body?.cancel())
    .catch(() => undefined);
}

async function upload({ baseURL, apiKey }: Connection, image: KimiImageInput): Promise<Result<string>> {
  const form = new FormData();
  const type = IMAGE_MEDIA_TYPES[image.sent.format];
  form.append('file', new Blob([new Uint8Array(image.sent.data)], { type }), `${image.sha256.slice(0, 16)}.${image.sent.format}`);
  form.append('purpose', 'image');
  try {
    const response = await fetch(`${baseURL}/files`, {
      method: 'POST',
      body: form,
      headers: { Authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) return refuse(chatErrorFromResponse(response.status, text));
    const parsed = fileSchema.safeParse(JSON.parse(text));
    return parsed.success ? ok(parsed.data.id) : refuse(unexpected(text));
  } catch (error) {
    return refuse(toAppError(error));
  }
}

const unexpected = (body: string): AppError => ({
  code: 'upstream_error',
  detail: `unexpected files API answer: ${body.slice(0, 200)}`,
  retryable: true,
});

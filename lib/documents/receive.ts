// Streams an upload body to a temporary file while hashing and counting it: the file is never held in
// memory here, and a body past the limit is refused as soon as it gets there. On any failure the
// temporary file is removed.
import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DocumentError, fileTooLarge } from './errors';

export interface Received {
  path: string;
  sha256: string;
  bytes: number;
  /** Removes the temporary file (idempotent). */
  discard(): Promise<void>;
}

/** A crash mid-upload can leave a temporary file behind: swept (once per process) when older than this. */
const STALE_MS = 60 * 60_000;
let swept = false;

async function sweepStale(dir: string): Promise<void> {
  swept = true;
  for (const name of await readdir(dir).catch(() => [])) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_MS) await rm(file, { force: true });
  }
}

export async function receiveToTempFile(body: ReadableStream<Uint8Array> | null, dir: string, limit: number): Promise<Received> {
  if (!body) throw new DocumentError('empty_file');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!swept) void sweepStale(dir);
  const file = path.join(dir, `${randomUUID()}.part`);
  const discard = () => rm(file, { force: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limit) return done(fileTooLarge(limit));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), meter, createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await discard();
    throw error;
  }
  if (bytes === 0) {
    await discard();
    throw new DocumentError('empty_file');
  }
  return { path: file, sha256: hash.digest('hex'), bytes, discard };
}

// Just enough of the ZIP format to look inside a DOCX before anything inflates it: the central
// directory's entries with their declared sizes, and a bounded inflate of one entry to check them.
import { createInflateRaw, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** The central directory, or undefined when it cannot be read (not a ZIP, truncated, ZIP64). */
export function readCentralDirectory(buf: Buffer): ZipEntry[] | undefined {
  // The end record is in the last 22 + 65,535 (comment) bytes.
  const from = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) return undefined;
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      uncompressedSize: buf.readUInt32LE(at + 24),
      localHeaderOffset: buf.readUInt32LE(at + 42),
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Inflates an entry, refusing to produce more than `limit` bytes (zlib stops there: a lying declared
 * size cannot make us inflate a bomb). Returns undefined when the entry is broken or over the limit.
 */
function entryData(buf: Buffer, entry: ZipEntry): Buffer | undefined {
  const at = entry.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) return undefined;
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  return buf.subarray(start, start + entry.compressedSize);
}

export function inflateEntry(buf: Buffer, entry: ZipEntry, limit: number): Buffer | 'over-limit' | undefined {
  const data = entryData(buf, entry);
  if (!data) return undefined;
  if (entry.method === 0) return data.length > limit ? 'over-limit' : data;
  if (entry.method !== 8) return undefined;
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, limit) });
  } catch (error) {
    return error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'over-limit' : undefined;
  }
}

/**
 * How many bytes an entry inflates to, streamed and thrown away as it goes: memory stays at zlib's
 * window whatever the entry holds, and inflating stops as soon as `limit` is passed.
 */
export function measureEntry(buf: Buffer, entry: ZipEntry, limit: number): Promise<number | 'over-limit' | undefined> {
  const data = entryData(buf, entry);
  if (!data) return Promise.resolve(undefined);
  if (entry.method === 0) return Promise.resolve(data.length > limit ? 'over-limit' : data.length);
  if (entry.method !== 8) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let total = 0;
    let done = false;
    const finish = (result: number | 'over-limit' | undefined) => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve(result);
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) finish('over-limit');
    });
    inflate.on('end', () => finish(total));
    inflate.on('error', () => finish(undefined));
    inflate.end(data);
  });
}

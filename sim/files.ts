// Files API: multipart upload (parsed here, buffered up to the size limit and refused as soon as it is
// exceeded), storage in memory, and text extraction. Extraction lives in `extract()` alone so the
// project's own extractors can replace it with a one-line change.
import { randomBytes } from 'node:crypto';
import { extractText } from '../lib/documents/extract';
import { IMAGE_MEDIA_TYPES, looksLikeSvg, readImageInfo } from '../lib/kimi/images';
import { invalidRequest, notFound, type SimError, serverError } from './errors';
import { type Exchange, sendError, sendJson } from './exchange';
import { MB, type ResolvedOptions } from './options';

export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'ok';
  status_details: string;
}

interface StoredFile {
  file: FileObject;
  content: string;
  fileType: string;
  /** `purpose=image`: the bytes, for `ms://<id>` image parts. */
  image?: Uint8Array;
}

export interface Extracted {
  content: string;
  fileType: string;
}

/** The one extraction entry point: the project's own extractors; what they refuse is Kimi's 500 "Failed to extract file". */
export async function extract(filename: string, bytes: Buffer): Promise<Extracted> {
  return extractText(filename, bytes).then(
    ({ text, mediaType }) => ({ content: text, fileType: mediaType }),
    (e: unknown) => {
      throw serverError(`Failed to extract file: ${filename}: ${e instanceof Error ? e.message : String(e)}`);
    },
  );
}

interface Part {
  name: string;
  filename?: string;
  data: Buffer;
}

function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip the CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) parts.push({ name, ...(filename !== undefined ? { filename } : {}), data: part.subarray(split + 4) });
    }
    at = next;
  }
  return parts;
}

function formatLimit(bytes: number): string {
  return bytes % MB === 0 ? `${bytes / MB}MB` : `${bytes}B`;
}

/** A `purpose=image` upload: PNG, JPEG, WebP or GIF by content, as chat image parts (sim/images.ts). */
function checkImageFile(bytes: Buffer): Extracted & { image: Uint8Array } {
  const info = readImageInfo(bytes);
  if (!info) throw invalidRequest(`Invalid request: unsupported image format: ${looksLikeSvg(bytes) ? 'svg' : 'unknown'}`);
  return { content: '', fileType: IMAGE_MEDIA_TYPES[info.format], image: new Uint8Array(bytes) };
}

/** Multipart framing around a file is small; this is how much over the file limit a body may be. */
const FRAMING_SLACK = 64 * 1024;

export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private totalBytes = 0;

  constructor(private readonly opts: ResolvedOptions) {}

  private tooLarge(): SimError {
    return invalidRequest(`File size is too large, max file size is ${formatLimit(this.opts.maxFileBytes)}, please confirm and re-upload the file`);
  }

  /** Reads the body itself so an oversized upload is refused at once rather than after buffering it. */
  async upload(ex: Exchange): Promise<void> {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(ex.req.headers['content-type'] ?? '');
    if (!boundary) throw invalidRequest('Invalid request: expected multipart/form-data with fields file and purpose');
    const limit = this.opts.maxFileBytes + FRAMING_SLACK;
    if (Number(ex.req.headers['content-length'] ?? 0) > limit) return this.refuse(ex, this.tooLarge());
    const body = await readLimited(ex, limit);
    if (!body) return this.refuse(ex, this.tooLarge());

    const parts = parseMultipart(body, (boundary[1] ?? boundary[2] ?? '').trim());
    const filePart = parts.find((p) => p.name === 'file' && p.filename !== undefined);
    const purpose = parts.find((p) => p.name === 'purpose')?.data.toString('utf8');
    if (!filePart) throw invalidRequest('Invalid request: the multipart field "file" is required');
    if (purpose !== 'file-extract' && purpose !== 'image') {
      throw invalidRequest(`Invalid request: purpose must be "file-extract" or "image" (got ${JSON.stringify(purpose ?? null)})`);
    }
    const bytes = filePart.data.length;
    if (bytes > this.opts.maxFileBytes) throw this.tooLarge();
    if (this.files.size >= this.opts.maxFiles) {
      throw invalidRequest(
        `Invalid request: too many files, the maximum is ${this.opts.maxFiles} files per account, please delete some files and try again`,
      );
    }
    if (this.totalBytes + bytes > this.opts.maxTotalFileBytes) {
      throw invalidRequest(
        `Invalid request: total file size exceeds ${formatLimit(this.opts.maxTotalFileBytes)}, please delete some files and try again`,
      );
    }
    const filename = filePart.filename ?? 'file';
    // An image is kept as it is (for `ms://` parts), checked as a chat image part is; a document is extracted.
    const { content, fileType, image }: Extracted & { image?: Uint8Array } =
      purpose === 'image' ? checkImageFile(filePart.data) : await extract(filename, filePart.data);
    const file: FileObject = {
      id: randomId(),
      object: 'file',
      bytes,
      created_at: Math.floor(Date.now() / 1000),
      filename,
      purpose,
      status: 'ok',
      status_details: '',
    };
    this.files.set(file.id, { file, content, fileType, ...(image ? { image } : {}) });
    this.totalBytes += bytes;
    ex.entry.params = { purpose, filename, bytes };
    sendJson(ex, 200, JSON.stringify(file));
  }

  /** Answer now and discard the rest of the upload; the connection is not reused. */
  private refuse(ex: Exchange, error: SimError): void {
    ex.res.setHeader('Connection', 'close');
    sendError(ex, error);
    ex.req.resume();
  }

  list(): string {
    return JSON.stringify({ object: 'list', data: [...this.files.values()].map((f) => f.file) });
  }

  private get(id: string): StoredFile {
    const stored = this.files.get(id);
    if (!stored) throw notFound(`File not found: ${id}`);
    return stored;
  }

  /** The bytes of an uploaded `purpose=image` file, or undefined. */
  image(id: string): Uint8Array | undefined {
    return this.files.get(id)?.image;
  }

  info(id: string): string {
    return JSON.stringify(this.get(id).file);
  }

  content(id: string): string {
    const { file, content, fileType } = this.get(id);
    return JSON.stringify({ content, file_type: fileType, filename: file.filename, title: '', type: 'file' });
  }

  delete(id: string): string {
    const { file } = this.get(id);
    this.files.delete(id);
    this.totalBytes -= file.bytes;
    return JSON.stringify({ id, object: 'file', deleted: true });
  }
}

/** The whole body, or undefined as soon as it passes `limit` bytes. */
function readLimited(ex: Exchange, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        ex.req.off('data', onData);
        ex.req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    ex.req.on('data', onData);
    ex.req.once('end', () => resolve(Buffer.concat(chunks)));
    ex.req.once('error', reject);
  });
}

/** Kimi-looking ids: 20 lowercase base-32 characters. */
function randomId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let id = '';
  for (const byte of randomBytes(20)) id += alphabet[byte & 31];
  return id;
}

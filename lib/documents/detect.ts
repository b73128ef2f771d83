// What a file is, decided by its content: magic bytes for PDF and DOCX, strict UTF-8 for text. The
// extension only names the text flavour (Markdown, CSV, code …) or explains a broken PDF/DOCX.
import { extname } from 'node:path';
import { DocumentError, documentTooLarge } from './errors';
import { MAX_TEXT_SOURCE_BYTES } from './limits';
import { decodeUtf8 } from './text';
import { isZip, readCentralDirectory } from './zip';

export type Detected =
  | { kind: 'pdf'; mediaType: 'application/pdf' }
  | { kind: 'docx'; mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }
  | { kind: 'html'; mediaType: 'text/html'; text: string }
  | { kind: 'text'; mediaType: string; text: string };

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' as const;

const TEXT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
};
const CODE = new Set(
  '.js .mjs .cjs .ts .tsx .jsx .py .go .rs .java .kt .swift .c .h .cc .cpp .hpp .cs .rb .php .sh .bash .sql .css .scss .toml .ini .lua .r .scala .dart .vue .svelte'.split(
    ' ',
  ),
);

const startsWith = (bytes: Uint8Array, ascii: string) => ascii.split('').every((c, i) => bytes[i] === c.charCodeAt(0));

function sniffText(name: string, text: string): Detected {
  const ext = extname(name).toLowerCase();
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') return { kind: 'html', mediaType: 'text/html', text };
  const known = TEXT_TYPES[ext] ?? (CODE.has(ext) ? 'text/plain' : undefined);
  if (known) return { kind: 'text', mediaType: known, text };
  const head = text.slice(0, 1024).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return { kind: 'html', mediaType: 'text/html', text };
  if (head.startsWith('{') || head.startsWith('[')) {
    try {
      JSON.parse(text);
      return { kind: 'text', mediaType: 'application/json', text };
    } catch {
      // not JSON: plain text
    }
  }
  return { kind: 'text', mediaType: 'text/plain', text };
}

/** Mostly-NUL "text" is a binary format that happens to be valid UTF-8. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 64 * 1024);
  let nul = 0;
  for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 0) nul++;
  return nul > sample.length / 10;
}

/** The first `max` bytes or fewer, never ending inside a UTF-8 sequence. */
function utf8Prefix(bytes: Buffer, max: number): Buffer {
  let end = Math.min(max, bytes.length);
  if (end < bytes.length) {
    while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // bytes[end] continues the previous character
  }
  return bytes.subarray(0, end);
}

export function detectType(name: string, bytes: Buffer): Detected {
  if (bytes.length === 0) throw new DocumentError('empty_file');
  const ext = extname(name).toLowerCase();
  if (startsWith(bytes, '%PDF-')) return { kind: 'pdf', mediaType: 'application/pdf' };
  if (isZip(bytes)) {
    const entries = readCentralDirectory(bytes);
    if (entries?.some((e) => e.name === 'word/document.xml')) return { kind: 'docx', mediaType: DOCX };
    if (ext === '.docx') throw new DocumentError('docx_corrupt');
    throw new DocumentError('unsupported_file_type', { type: ext || 'zip' });
  }
  if (ext === '.pdf') throw new DocumentError('pdf_corrupt');
  // Text formats become one string: bounded before decoding, not after.
  if (bytes.length > MAX_TEXT_SOURCE_BYTES) {
    const head = decodeUtf8(utf8Prefix(bytes, 64 * 1024));
    if (head === undefined || looksBinary(head)) throw new DocumentError('unsupported_file_type', { type: ext || 'binary' });
    throw documentTooLarge(`${bytes.length} bytes of text (limit ${MAX_TEXT_SOURCE_BYTES})`);
  }
  const text = decodeUtf8(bytes);
  if (text === undefined || looksBinary(text)) throw new DocumentError('unsupported_file_type', { type: ext || 'binary' });
  return sniffText(name, text);
}

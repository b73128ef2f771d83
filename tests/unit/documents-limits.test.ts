// The bounds on reading one document (lib/documents/limits.ts) and the worker that holds extraction
// (lib/documents/sandbox.ts): a file that would need too much memory or time ends its worker with a
// clear document_too_large, never this process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from '@/lib/documents/errors';
import { extractText } from '@/lib/documents/extract';
import { MAX_DOCX_XML_BYTES, MAX_TEXT_CHARS, MAX_TEXT_SOURCE_BYTES } from '@/lib/documents/limits';
import { createExtractionSandbox, extractInSandbox } from '@/lib/documents/sandbox';
import * as fixtures from '@/tests/support/fixtures/documents';

const dir = mkdtempSync(path.join(tmpdir(), 'kimi-chat-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const at = path.join(dir, `${crypto.randomUUID()}-${name}`);
  writeFileSync(at, bytes);
  return at;
}

async function failure(run: Promise<unknown>): Promise<DocumentError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  return error as DocumentError;
}

describe('document limits', () => {
  it('refuses a large honest DOCX (251 MB of low-repetition XML, ratio under 3) as too large, without inflating it', async () => {
    const bytes = fixtures.largeTextDocx({ megabytes: 251 });
    expect(bytes.length).toBeGreaterThan(80 * 1024 * 1024);
    const started = performance.now();
    const error = await failure(extractText('big.docx', bytes));
    expect(error.code).toBe('document_too_large');
    expect(error.params.maxChars).toBe(MAX_TEXT_CHARS);
    expect(performance.now() - started).toBeLessThan(5_000);
  }, 60_000);

  it('refuses text past the character limit, and text files too big to decode, as too large', async () => {
    expect((await failure(extractText('long.txt', Buffer.alloc(MAX_TEXT_CHARS + 1, 'a')))).code).toBe('document_too_large');
    expect((await failure(extractText('huge.html', Buffer.alloc(MAX_TEXT_SOURCE_BYTES + 1, '<b>x</b>')))).code).toBe('document_too_large');
    // A big binary file is still "unsupported", not "too large".
    const binary = Buffer.alloc(MAX_TEXT_SOURCE_BYTES + 1, 0);
    expect((await failure(extractText('blob.bin', binary))).code).toBe('unsupported_file_type');
    // Just under the limit is fine.
    expect((await extractText('ok.txt', Buffer.alloc(MAX_TEXT_CHARS, 'a'))).text.length).toBe(MAX_TEXT_CHARS);
  });

  it('keeps the XML limit below what the worker heap can parse', () => {
    expect(MAX_DOCX_XML_BYTES).toBeLessThanOrEqual(20 * 1024 * 1024);
  });
});

describe('extraction worker', () => {
  it('extracts exactly what extractText does', async () => {
    const bytes = await fixtures.docx(['Quarterly report', fixtures.KNOWN_SENTENCE]);
    expect(await extractInSandbox('notes.docx', file('notes.docx', bytes))).toEqual(await extractText('notes.docx', bytes));
    const pdf = await fixtures.textPdf({ pages: 3, sentencePage: 2 });
    expect(await extractInSandbox('r.pdf', file('r.pdf', pdf))).toEqual(await extractText('r.pdf', pdf));
  });

  it('passes the specific errors through', async () => {
    expect((await failure(extractInSandbox('secret.pdf', file('secret.pdf', fixtures.encryptedPdf())))).code).toBe('pdf_encrypted');
    expect((await failure(extractInSandbox('bomb.docx', file('bomb.docx', await fixtures.docxZipBomb({ lie: true }))))).code).toBe('docx_zip_bomb');
  });

  it('answers too large when the file needs more memory than the worker has; this process goes on', async () => {
    const small = createExtractionSandbox({ heapMb: 48, timeoutMs: 60_000 });
    const doc = file('dense.docx', fixtures.largeTextDocx({ megabytes: 12 }));
    const error = await failure(small.extract('dense.docx', doc));
    expect(error.code).toBe('document_too_large');
    expect(error.message).toMatch(/memory/);
    // The pool replaced the dead worker: the next file is read.
    const ok = await small.extract('ok.txt', file('ok.txt', Buffer.from('still here')));
    expect(ok?.text).toBe('still here');
  }, 60_000);

  it('answers too large when reading takes longer than the time limit, and ends that worker', async () => {
    const hasty = createExtractionSandbox({ heapMb: 512, timeoutMs: 300 });
    const doc = file('slow.docx', fixtures.largeTextDocx({ megabytes: 12 }));
    const error = await failure(hasty.extract('slow.docx', doc));
    expect(error.code).toBe('document_too_large');
    expect(error.message).toMatch(/within 300 ms/);
  }, 60_000);
});

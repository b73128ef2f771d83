// Each extractor on generated fixtures, and each specific error a bad file gets.
import { describe, expect, it } from 'vitest';
import { DocumentError } from '@/lib/documents/errors';
import { extractText } from '@/lib/documents/extract';
import { htmlToText } from '@/lib/documents/html';
import * as fixtures from '@/tests/support/fixtures/documents';

async function failure(name: string, bytes: Buffer): Promise<DocumentError> {
  const error = await extractText(name, bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  return error as DocumentError;
}

describe('PDF', () => {
  it('extracts every page of a 300-page PDF with page markers, the sentence on page 250', async () => {
    const result = await extractText('report.pdf', await fixtures.textPdf());
    expect(result.pages).toBe(300);
    expect(result.mediaType).toBe('application/pdf');
    const page250 = result.text.indexOf('[Page 250]\n');
    const page251 = result.text.indexOf('[Page 251]\n');
    const sentence = result.text.indexOf(fixtures.KNOWN_SENTENCE);
    expect(page250).toBeGreaterThan(0);
    expect(sentence).toBeGreaterThan(page250);
    expect(sentence).toBeLessThan(page251);
    expect(result.text.match(/\[Page \d+\]\n/g)).toHaveLength(300);
  });

  it('detects a PDF by its content, whatever the name says', async () => {
    const result = await extractText('upload.bin', await fixtures.textPdf({ pages: 2, sentencePage: 2 }));
    expect(result.pages).toBe(2);
    expect(result.text).toContain(fixtures.KNOWN_SENTENCE);
  });

  it('refuses an encrypted PDF as needing a password', async () => {
    expect((await failure('secret.pdf', fixtures.encryptedPdf())).code).toBe('pdf_encrypted');
  });

  it('refuses a corrupt PDF, and a .pdf that is not a PDF at all', async () => {
    expect((await failure('broken.pdf', fixtures.corruptPdf())).code).toBe('pdf_corrupt');
    expect((await failure('fake.pdf', Buffer.from([0xde, 0xad, 0xbe, 0xef]))).code).toBe('pdf_corrupt');
  });

  it('refuses a scanned PDF (images, no text layer)', async () => {
    const error = await failure('scan.pdf', await fixtures.scannedPdf(3));
    expect(error.code).toBe('pdf_scanned');
    expect(error.params.pages).toBe(3);
  });
});

describe('DOCX', () => {
  it('extracts the raw text of a minimal DOCX, detected by content', async () => {
    const result = await extractText('notes', await fixtures.docx(['First paragraph', fixtures.KNOWN_SENTENCE]));
    expect(result.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(result.text).toBe(`First paragraph\n\n${fixtures.KNOWN_SENTENCE}`);
    expect(result.pages).toBeNull();
  });

  it('refuses a zip bomb by its declared size and ratio, before inflating', async () => {
    expect((await failure('bomb.docx', await fixtures.docxZipBomb())).code).toBe('docx_zip_bomb');
  });

  it('refuses a zip bomb whose headers lie about its size, by capping what is inflated', async () => {
    expect((await failure('liar.docx', await fixtures.docxZipBomb({ lie: true }))).code).toBe('docx_zip_bomb');
  });

  it('refuses a ZIP that is not a DOCX', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    zip.file('hello.txt', 'hi');
    const bytes = await zip.generateAsync({ type: 'nodebuffer' });
    expect((await failure('archive.zip', bytes)).code).toBe('unsupported_file_type');
    expect((await failure('fake.docx', bytes)).code).toBe('docx_corrupt');
  });
});

describe('HTML and text', () => {
  it('turns HTML into readable text; scripts and styles never survive', async () => {
    const result = await extractText('page.html', fixtures.htmlWithScript());
    expect(result.mediaType).toBe('text/html');
    expect(result.text).toContain(fixtures.KNOWN_SENTENCE);
    expect(result.text).toContain('Fish & chips <3');
    expect(result.text).not.toContain('SCRIPT_MUST_NOT_SURVIVE');
    expect(result.text).not.toContain('color:red');
    expect(result.text).not.toMatch(/<[a-z]/i);
  });

  it('drops an unclosed script to the end of the page', () => {
    expect(htmlToText('<p>kept</p><script>var leaked = 1;')).toBe('kept');
  });

  it('sniffs HTML without an extension', async () => {
    expect((await extractText('page', fixtures.htmlWithScript())).mediaType).toBe('text/html');
  });

  it('keeps text as it is, normalising newlines and removing NULs', async () => {
    const result = await extractText('notes.md', Buffer.from('\uFEFF# Title\r\nline two\rline\u0000 three\n'));
    expect(result).toEqual({ text: '# Title\nline two\nline three\n', mediaType: 'text/markdown', pages: null });
  });

  it('names text flavours by extension and sniffs JSON', async () => {
    expect((await extractText('data.csv', Buffer.from('a,b\n1,2'))).mediaType).toBe('text/csv');
    expect((await extractText('main.py', Buffer.from('print(1)'))).mediaType).toBe('text/plain');
    expect((await extractText('blob', Buffer.from('{"a": [1, 2]}'))).mediaType).toBe('application/json');
  });

  it('refuses binary data that is not a supported type', async () => {
    const error = await failure('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]));
    expect(error.code).toBe('unsupported_file_type');
    expect(error.params.type).toBe('.png');
  });

  it('refuses an empty file, and a file with no text after extraction', async () => {
    expect((await failure('empty.txt', Buffer.alloc(0))).code).toBe('empty_file');
    expect((await failure('blank.txt', Buffer.from(' \n\t\r\n '))).code).toBe('document_no_text');
    expect((await failure('blank.html', Buffer.from('<html><script>x()</script><p> </p></html>'))).code).toBe('document_no_text');
  });
});

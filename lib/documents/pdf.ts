// PDF → text from its text layer (pdf.js through unpdf), page by page, with `[Page N]` markers so the
// model can cite pages. No OCR: a PDF of scanned images is refused with its own error.
import { getDocumentProxy } from 'unpdf';
import { DocumentError, documentTooLarge } from './errors';
import { MAX_PDF_PAGES, MAX_TEXT_CHARS } from './limits';

export interface PdfText {
  text: string;
  pages: number;
}

export const pageMarker = (page: number) => `[Page ${page}]`;

type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

async function open(bytes: Uint8Array): Promise<PdfProxy> {
  try {
    // A view of the caller's bytes, not a copy: pdf.js (worker-less here) reads them in place.
    return await getDocumentProxy(bytes, { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
  } catch (error) {
    const name = (error as { name?: string }).name;
    const detail = error instanceof Error ? error.message : String(error);
    if (name === 'PasswordException') throw new DocumentError('pdf_encrypted', {}, detail);
    throw new DocumentError('pdf_corrupt', {}, detail);
  }
}

async function pageText(pdf: PdfProxy, number: number): Promise<string> {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  page.cleanup();
  return text.replace(/[ \t]+\n/g, '\n').trim();
}

export async function extractPdf(bytes: Uint8Array): Promise<PdfText> {
  const pdf = await open(bytes);
  try {
    if (pdf.numPages > MAX_PDF_PAGES) throw documentTooLarge(`${pdf.numPages} pages (limit ${MAX_PDF_PAGES})`);
    const parts: string[] = [];
    let found = false;
    let chars = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      let text: string;
      try {
        text = await pageText(pdf, n);
      } catch (error) {
        throw new DocumentError('pdf_corrupt', {}, error instanceof Error ? error.message : String(error));
      }
      if (/\S/.test(text)) found = true;
      // Stop as soon as the text is past the limit, not after reading every page.
      chars += text.length;
      if (chars > MAX_TEXT_CHARS) throw documentTooLarge(`over ${MAX_TEXT_CHARS} characters of text by page ${n}`);
      parts.push(`${pageMarker(n)}\n${text}`);
    }
    if (!found) throw new DocumentError('pdf_scanned', { pages: pdf.numPages });
    return { text: parts.join('\n\n'), pages: pdf.numPages };
  } finally {
    await pdf.destroy();
  }
}

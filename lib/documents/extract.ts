// The local extractor: bytes in, text out (or a DocumentError). Pure: no database, no network, no
// Next.js — the simulator's file API uses it too, and the app runs it in a worker (./sandbox.ts) so that
// whatever a file does to memory or time stays there. Every format stops at lib/documents/limits.ts.
import { detectType } from './detect';
import { extractDocx } from './docx';
import { DocumentError, documentTooLarge } from './errors';
import { htmlToText } from './html';
import { MAX_TEXT_CHARS } from './limits';
import { extractPdf } from './pdf';
import { normaliseText } from './text';

export interface Extraction {
  text: string;
  mediaType: string;
  /** PDFs only. */
  pages: number | null;
}

export async function extractText(name: string, bytes: Buffer): Promise<Extraction> {
  const detected = detectType(name, bytes);
  let text: string;
  let pages: number | null = null;
  switch (detected.kind) {
    case 'pdf': {
      const pdf = await extractPdf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      text = pdf.text;
      pages = pdf.pages;
      break;
    }
    case 'docx':
      text = (await extractDocx(bytes)).trim(); // mammoth ends every paragraph with blank lines
      break;
    case 'html':
      text = htmlToText(detected.text);
      break;
    case 'text':
      text = detected.text;
      break;
  }
  text = normaliseText(text);
  checkTextLength(text);
  if (text.trim() === '') throw new DocumentError('document_no_text');
  return { text, mediaType: detected.mediaType, pages };
}

/** Throws document_too_large for text past MAX_TEXT_CHARS (any format, any extractor). */
export function checkTextLength(text: string): void {
  if (text.length > MAX_TEXT_CHARS) throw documentTooLarge(`${text.length} characters of text (limit ${MAX_TEXT_CHARS})`);
}

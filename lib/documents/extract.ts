// The local extractor: bytes in, text out (or a DocumentError). Pure: no database, no network, no
// Next.js — the simulator's file API uses it too.
import { detectType } from './detect';
import { extractDocx } from './docx';
import { DocumentError } from './errors';
import { htmlToText } from './html';
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
  if (text.trim() === '') throw new DocumentError('document_no_text');
  return { text, mediaType: detected.mediaType, pages };
}

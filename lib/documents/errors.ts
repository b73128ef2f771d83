// A document that cannot become text, with the specific reason (an ErrorCode with a translated message
// in lib/i18n's documents catalog). Anything else thrown while extracting is our bug.
import type { ErrorCode } from '@/lib/errors';
import { MAX_TEXT_CHARS } from './limits';

export type DocumentErrorCode = Extract<
  ErrorCode,
  | 'file_too_large'
  | 'unsupported_file_type'
  | 'empty_file'
  | 'pdf_encrypted'
  | 'pdf_corrupt'
  | 'pdf_scanned'
  | 'docx_zip_bomb'
  | 'docx_corrupt'
  | 'document_no_text'
  | 'document_too_large'
  | 'extraction_failed'
>;

export class DocumentError extends Error {
  override name = 'DocumentError';
  constructor(
    readonly code: DocumentErrorCode,
    readonly params: Record<string, string | number> = {},
    detail?: string,
  ) {
    super(detail ?? code);
  }
}

export const fileTooLarge = (limitBytes: number) =>
  new DocumentError('file_too_large', { limitMb: Math.round((limitBytes / 1024 / 1024) * 100) / 100 });

/** Past one of lib/documents/limits.ts's bounds (or the worker's memory or time): too large to read. */
export const documentTooLarge = (detail: string) =>
  new DocumentError('document_too_large', { maxChars: MAX_TEXT_CHARS, millions: MAX_TEXT_CHARS / 1_000_000, wan: MAX_TEXT_CHARS / 10_000 }, detail);

// A document that cannot become text, with the specific reason (an ErrorCode with a translated message
// in lib/i18n's documents catalog). Anything else thrown while extracting is our bug.
import type { ErrorCode } from '../chat/types';

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

export const fileTooLarge = (limitBytes: number) => new DocumentError('file_too_large', { limitMb: Math.round((limitBytes / 1024 / 1024) * 100) / 100 });

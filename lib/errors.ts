// The app's one error vocabulary: every refusal, upstream failure and bug the user can see is an AppError
// with a code; the code decides the HTTP status (ERROR_STATUS) and the translated text (`errors.<code>` in
// lib/i18n). Shared core: used by every room, importing none of them; safe in the browser.

/** Error codes shown in the thread; each has a translated message `errors.<code>` in lib/i18n. */
export const ERROR_CODES = [
  'unauthorized', // signed out or session ended
  'forbidden', // not yours / not an admin
  'account_pending', // signed up under the approval policy, not yet approved by an admin
  'not_found',
  'bad_request', // invalid body
  'message_too_long',
  'payload_too_large', // request body over the JSON API limit (params: maxKb)
  'conversation_too_long', // too many messages in one conversation: start a new chat (params: max)
  'context_too_long', // prompt + reserved answer over the model's window (details: window, requested)
  'invalid_temperature',
  'rate_limited', // Kimi 429 rate_limit_reached_error (details: retryAfterSeconds)
  'engine_overloaded', // Kimi 429 engine_overloaded_error
  'quota_exceeded', // Kimi 429 exceeded_current_quota_error (account balance)
  'user_quota_exceeded', // our own per-user monthly limit (details: resetsAt)
  'too_many_requests', // our own per-user rate limit
  'content_filter',
  'invalid_api_key', // Kimi 401
  'model_not_found', // Kimi 404
  'upstream_error', // Kimi 5xx / unknown
  'upstream_timeout', // no first token in time, or a stall mid-stream
  'stream_dropped', // connection lost mid-answer; the partial answer is kept
  'interrupted', // the server stopped (restart/crash) before the answer finished
  'conversation_busy', // an answer is already being generated in this conversation
  'internal', // our bug
  // Documents (messages in lib/i18n documents.errors.<code>):
  'file_too_large', // over MAX_UPLOAD_MB (details: limitMb)
  'unsupported_file_type', // not PDF, DOCX or UTF-8 text (details: type)
  'empty_file',
  'pdf_encrypted', // needs a password
  'pdf_corrupt',
  'pdf_scanned', // no text layer: scanned images (details: pages)
  'docx_zip_bomb', // declared or actual inflated size / ratio over the limits
  'docx_corrupt',
  'document_no_text', // extraction produced only whitespace
  'document_too_large', // more text (or XML, pages, memory, time) than one document may take (details: maxChars)
  'extraction_failed', // Kimi's file API could not extract it (details: upstream message)
  'image_unsupported', // not PNG, JPEG, WebP or GIF by content, e.g. SVG (params: type)
  'image_corrupt', // an image header without a readable size
  'image_too_large', // over the image size limit (params: limitMb)
  'model_no_images', // the model takes no images: refused before any call (params: model, suggested)
  'image_file_gone', // Kimi no longer holds an image uploaded earlier (ms://<id>): forgotten, so a retry uploads it again
  'import_invalid', // an imported conversation file is not this app's export format (detail: what is wrong)
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  /** Upstream's own words, for the details disclosure; never shown as the main text. */
  detail?: string;
  /** Values for the translated message, e.g. { window: 8192, requested: 9120, retryAfterSeconds: 3 }. */
  params?: Record<string, string | number>;
  retryable: boolean;
}

/** Error body of every JSON API error response. */
export interface ApiErrorBody {
  error: AppError;
}

/** The status a refusal is answered with when the caller does not name one. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  account_pending: 403,
  not_found: 404,
  bad_request: 400,
  import_invalid: 400,
  message_too_long: 400,
  payload_too_large: 413,
  conversation_too_long: 400,
  context_too_long: 400,
  invalid_temperature: 400,
  rate_limited: 429,
  engine_overloaded: 503,
  quota_exceeded: 402,
  user_quota_exceeded: 429,
  too_many_requests: 429,
  content_filter: 400,
  invalid_api_key: 502,
  model_not_found: 400,
  upstream_error: 502,
  upstream_timeout: 504,
  stream_dropped: 502,
  interrupted: 503,
  conversation_busy: 409,
  internal: 500,
  file_too_large: 413,
  unsupported_file_type: 415,
  empty_file: 400,
  pdf_encrypted: 400,
  pdf_corrupt: 400,
  pdf_scanned: 400,
  docx_zip_bomb: 400,
  docx_corrupt: 400,
  document_no_text: 400,
  document_too_large: 413,
  extraction_failed: 502,
  image_unsupported: 415,
  image_corrupt: 400,
  image_too_large: 413,
  model_no_images: 400,
  image_file_gone: 502,
};

/** A value, or why not: the one result style of services (routes turn a refusal into a response). */
export type Result<T> = { ok: true; value: T } | { ok: false; status: number; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = (error: AppError, status: number = ERROR_STATUS[error.code]): Result<never> => ({ ok: false, status, error });

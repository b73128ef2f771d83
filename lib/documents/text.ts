// Plain-text formats: sent as they are, with newlines normalised and NULs (which break Postgres text and
// tokenizers) removed.
export function normaliseText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\u0000/g, '');
}

/** Strict UTF-8 decoding: undefined for bytes that are not text. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

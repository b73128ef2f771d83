// DOCX → text with mammoth, after a zip-bomb check that runs before mammoth inflates anything: declared
// sizes and compression ratios first, then every entry inflated with a hard cap, so a lying header
// cannot get past either.
import mammoth from 'mammoth';
import { DocumentError } from './errors';
import { inflateEntry, readCentralDirectory, type ZipEntry } from './zip';

/** All entries together may inflate to at most this (a 1,000-page DOCX is a few MB of XML). */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** XML compresses well, but not this well; only checked for entries big enough to matter. */
export const MAX_RATIO = 200;
const RATIO_CHECKED_FROM = 1024 * 1024;

/** Throws docx_zip_bomb / docx_corrupt; returns the entries when the archive is safe to open. */
export function checkDocxArchive(buf: Buffer): ZipEntry[] {
  const entries = readCentralDirectory(buf);
  if (!entries) throw new DocumentError('docx_corrupt');
  if (!entries.some((e) => e.name === 'word/document.xml')) throw new DocumentError('docx_corrupt');
  let declared = 0;
  for (const entry of entries) {
    declared += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (declared > MAX_INFLATED_BYTES || (entry.uncompressedSize > RATIO_CHECKED_FROM && ratio > MAX_RATIO)) {
      throw new DocumentError('docx_zip_bomb');
    }
  }
  let inflated = 0;
  for (const entry of entries) {
    // One byte past the declared size proves the header lied.
    const out = inflateEntry(buf, entry, Math.min(entry.uncompressedSize + 1, MAX_INFLATED_BYTES - inflated + 1));
    if (out === 'over-limit' || (out && out.length > entry.uncompressedSize)) throw new DocumentError('docx_zip_bomb');
    if (!out) throw new DocumentError('docx_corrupt');
    inflated += out.length;
  }
  return entries;
}

export async function extractDocx(buf: Buffer): Promise<string> {
  checkDocxArchive(buf);
  try {
    const { value } = await mammoth.extractRawText({ buffer: buf });
    return value;
  } catch (error) {
    throw new DocumentError('docx_corrupt', {}, error instanceof Error ? error.message : String(error));
  }
}

// DOCX → text with mammoth, after checks that run before mammoth inflates anything: declared sizes and
// compression ratios first, then the parts mammoth parses (the XML) inflated with a hard cap, and every
// other part (images …) streamed through inflate and counted, so a lying header cannot get past either.
// The XML cap is what keeps a large but honest DOCX (e.g. 250 MB of text at an ordinary ratio) from
// reaching mammoth: it is refused as too large to read, not parsed.
import mammoth from 'mammoth';
import { DocumentError, documentTooLarge } from './errors';
import { MAX_DOCX_INFLATED_BYTES, MAX_DOCX_XML_BYTES } from './limits';
import { inflateEntry, measureEntry, readCentralDirectory, type ZipEntry } from './zip';

/** All entries together may inflate to at most this. */
export const MAX_INFLATED_BYTES = MAX_DOCX_INFLATED_BYTES;
/** XML compresses well, but not this well; only checked for entries big enough to matter. */
export const MAX_RATIO = 200;
const RATIO_CHECKED_FROM = 1024 * 1024;

/** The parts mammoth reads and parses: XML and relationships (images are only ever read on demand). */
const isXmlPart = (name: string) => /\.(xml|rels)$/i.test(name);

/** Throws docx_zip_bomb / docx_corrupt / document_too_large; returns the entries when the archive is safe to open. */
export async function checkDocxArchive(buf: Buffer): Promise<ZipEntry[]> {
  const entries = readCentralDirectory(buf);
  if (!entries) throw new DocumentError('docx_corrupt');
  if (!entries.some((e) => e.name === 'word/document.xml')) throw new DocumentError('docx_corrupt');
  let declared = 0;
  let declaredXml = 0;
  for (const entry of entries) {
    declared += entry.uncompressedSize;
    if (isXmlPart(entry.name)) declaredXml += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_CHECKED_FROM && ratio > MAX_RATIO) throw new DocumentError('docx_zip_bomb');
  }
  if (declaredXml > MAX_DOCX_XML_BYTES) throw documentTooLarge(`DOCX XML declares ${declaredXml} bytes (limit ${MAX_DOCX_XML_BYTES})`);
  if (declared > MAX_INFLATED_BYTES) throw documentTooLarge(`DOCX declares ${declared} bytes inflated (limit ${MAX_INFLATED_BYTES})`);
  let inflated = 0;
  for (const entry of entries) {
    // One byte past the declared size proves the header lied; the declared sizes are within the limits.
    const limit = entry.uncompressedSize + 1;
    if (isXmlPart(entry.name)) {
      const out = inflateEntry(buf, entry, limit);
      if (out === 'over-limit' || (out && out.length > entry.uncompressedSize)) throw new DocumentError('docx_zip_bomb');
      if (!out) throw new DocumentError('docx_corrupt');
      inflated += out.length;
    } else {
      const size = await measureEntry(buf, entry, limit);
      if (size === 'over-limit' || (size !== undefined && size > entry.uncompressedSize)) throw new DocumentError('docx_zip_bomb');
      if (size === undefined) throw new DocumentError('docx_corrupt');
      inflated += size;
    }
  }
  if (inflated > MAX_INFLATED_BYTES) throw documentTooLarge(`DOCX inflates to ${inflated} bytes`);
  return entries;
}

export async function extractDocx(buf: Buffer): Promise<string> {
  await checkDocxArchive(buf);
  try {
    const { value } = await mammoth.extractRawText({ buffer: buf });
    return value;
  } catch (error) {
    throw new DocumentError('docx_corrupt', {}, error instanceof Error ? error.message : String(error));
  }
}

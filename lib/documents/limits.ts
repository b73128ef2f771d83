// How much one document may cost to read. Every format is bounded twice: by what we let it expand to
// (checked as it is read, so a bomb stops early with a clear error) and by the extraction worker's own
// heap and clock (lib/documents/sandbox.ts), which catch whatever the first bounds miss. Plain constants:
// the README's "Reliability and security" section quotes them, and tests import them.

/**
 * Text one document may give, in characters (UTF-16 code units), after extraction. The largest Kimi
 * window is 262,144 tokens — at most ~1 M characters of English, fewer of Chinese — so a document over
 * 2 M characters could never be sent whole to any model; refusing it costs nobody anything.
 */
export const MAX_TEXT_CHARS = 2_000_000;

/**
 * DOCX: the XML parts (`*.xml`, `*.rels`) together, inflated. A 1,000-page report is 3–8 MB of XML, and
 * Word's markup makes 2 M characters of text about 10–20 MB of it. Measured: mammoth parses 20 MB of
 * dense XML within the worker's 512 MB (about 4 s); 31 MB needs more, and would end in the heap limit.
 */
export const MAX_DOCX_XML_BYTES = 20 * 1024 * 1024;

/** DOCX: every entry together, inflated (images included; each is checked without being kept). */
export const MAX_DOCX_INFLATED_BYTES = 128 * 1024 * 1024;

/** HTML and plain text: the file itself, before it is decoded into one string. */
export const MAX_TEXT_SOURCE_BYTES = 16 * 1024 * 1024;

/** PDF: pages read (a 5,000-page PDF of text is far past MAX_TEXT_CHARS anyway). */
export const MAX_PDF_PAGES = 5_000;

/** The extraction worker: old-generation heap (MB), young generation (MB) and wall-clock limit per file. */
export const WORKER_HEAP_MB = 512;
export const WORKER_YOUNG_MB = 32;
export const WORKER_TIMEOUT_MS = 60_000;
/** Files extracted at the same time (each in its own worker); more wait their turn. */
export const WORKER_CONCURRENCY = 2;

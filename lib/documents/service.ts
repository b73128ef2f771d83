// Documents of a conversation: upload (stream to disk → reuse or extract → count → store), list, remove.
// Ownership is checked before the body is read and again in the writing transaction; a failed upload
// writes nothing and leaves no temporary file.
import 'server-only';
import path from 'node:path';
import { config } from '@/lib/config';
import type { DocumentSummary } from '@/lib/contracts';
import { db } from '@/lib/db';
import type { Result } from '@/lib/errors';
import { DEFAULT_MODEL_ID } from '@/lib/kimi/catalog';
import { estimatePromptTokens } from '@/lib/kimi/estimate';
import { fileCallRow, recordUsage } from '@/lib/usage/ledger';
import { DocumentError, fileTooLarge } from './errors';
import { checkTextLength, type Extraction } from './extract';
import { type ExtractorKind, getExtractor } from './extractor-setting';
import { kimiExtract } from './kimi-extract';
import { countedDocumentMessage, documentTokens } from './message';
import { receiveToTempFile } from './receive';
import { detectInSandbox, extractInSandbox } from './sandbox';
import { normaliseText } from './text';

/** The model whose tokenizer counts documents (every Kimi model shares it). */
const COUNTING_MODEL = 'kimi-k2.6';

const STATUS: Partial<Record<DocumentError['code'], number>> = {
  file_too_large: 413,
  document_too_large: 413,
  unsupported_file_type: 415,
  extraction_failed: 502,
};
const notFound: Result<never> = { ok: false, status: 404, error: { code: 'not_found', retryable: false } };

class NotYours extends Error {}

/** May the user attach to this conversation? Missing is fine (a new chat's id, created with the document). */
async function conversationOpen(userId: string, conversationId: string): Promise<boolean> {
  const row = await (await db()).conversation.findUnique({ where: { id: conversationId }, select: { userId: true, deletedAt: true } });
  return !row || (row.userId === userId && !row.deletedAt);
}

async function extractWith(
  extractor: ExtractorKind,
  name: string,
  filePath: string,
  ledger: { userId: string; conversationId: string },
): Promise<Extraction & { extractor: ExtractorKind }> {
  // Never in this thread: a file can ask for any amount of memory and time (./sandbox.ts).
  if (extractor === 'local') return { ...(await extractInSandbox(name, filePath)), extractor };
  // Kimi extracts; the type checks (and their specific errors) and the text limit stay ours.
  const mediaType = await detectInSandbox(name, filePath);
  const text = normaliseText(await recordFileCall(ledger, () => kimiExtract(name, filePath)));
  checkTextLength(text);
  if (text.trim() === '') throw new DocumentError('document_no_text');
  return { text, mediaType, pages: null, extractor };
}

/** Kimi's file API is an upstream call like any other: it gets a ledger row, whether it worked or not. */
async function recordFileCall<T>(ledger: { userId: string; conversationId: string }, run: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  let errorType: string | null = null;
  try {
    return await run();
  } catch (error) {
    errorType = error instanceof DocumentError ? error.code : 'upstream_error';
    throw error;
  } finally {
    const prisma = await db();
    // The conversation of a new chat may not exist yet: the row then keeps only the user.
    const exists = (await prisma.conversation.count({ where: { id: ledger.conversationId, userId: ledger.userId } })) === 1;
    const row = fileCallRow({ userId: ledger.userId, conversationId: exists ? ledger.conversationId : null, startedAt, errorType });
    await recordUsage(row);
  }
}

export interface UploadInput {
  userId: string;
  conversationId: string;
  name: string;
  body: ReadableStream<Uint8Array> | null;
  /** The Content-Length, when the client sent one: a body declared too big is refused before reading it. */
  declaredBytes?: number;
}

export async function uploadDocument({ userId, conversationId, name, body, declaredBytes }: UploadInput): Promise<Result<DocumentSummary>> {
  const { dataDir, documents } = config();
  if (declaredBytes !== undefined && declaredBytes > documents.maxUploadBytes) return failure(fileTooLarge(documents.maxUploadBytes));
  if (!(await conversationOpen(userId, conversationId))) return notFound;
  let received: Awaited<ReturnType<typeof receiveToTempFile>>;
  try {
    received = await receiveToTempFile(body, path.join(dataDir, 'uploads', 'tmp'), documents.maxUploadBytes);
  } catch (error) {
    return failure(error);
  }
  try {
    const prisma = await db();
    const { sha256, bytes } = received;
    let content = await prisma.extractedText.findUnique({ where: { sha256 }, select: { mediaType: true, pages: true, tokens: true } });
    let fresh: { text: string; extractor: ExtractorKind } | undefined;
    if (!content) {
      const extraction = await extractWith(await getExtractor(), name, received.path, { userId, conversationId });
      const { tokens } = await estimatePromptTokens([countedDocumentMessage(extraction.text)], COUNTING_MODEL);
      content = { mediaType: extraction.mediaType, pages: extraction.pages, tokens };
      fresh = { text: extraction.text, extractor: extraction.extractor };
    }
    const stored = content;
    const document = await prisma.$transaction(async (tx) => {
      await tx.conversation.createMany({ data: [{ id: conversationId, userId, model: DEFAULT_MODEL_ID }], skipDuplicates: true });
      const owner = await tx.conversation.findUnique({ where: { id: conversationId }, select: { userId: true, deletedAt: true } });
      if (owner?.userId !== userId || owner.deletedAt) throw new NotYours();
      if (fresh) {
        await tx.extractedText.upsert({
          where: { sha256 },
          create: {
            sha256,
            bytes,
            mediaType: stored.mediaType,
            pages: stored.pages,
            tokens: stored.tokens,
            text: fresh.text,
            extractor: fresh.extractor,
          },
          update: {},
        });
      }
      return tx.document.create({ data: { userId, conversationId, name, sha256 }, select: { id: true } });
    });
    return {
      ok: true,
      value: { id: document.id, name, bytes, pages: stored.pages, tokens: documentTokens(stored.tokens, name), mediaType: stored.mediaType },
    };
  } catch (error) {
    if (error instanceof NotYours) return notFound;
    return failure(error);
  } finally {
    await received.discard();
  }
}

function failure(error: unknown): Result<never> {
  if (error instanceof DocumentError) {
    return {
      ok: false,
      status: STATUS[error.code] ?? 422,
      error: { code: error.code, params: error.params, detail: error.message, retryable: error.code === 'extraction_failed' },
    };
  }
  throw error;
}

const summarySelect = { id: true, name: true, content: { select: { bytes: true, pages: true, tokens: true, mediaType: true } } } as const;

type SummaryRow = { id: string; name: string; content: { bytes: number; pages: number | null; tokens: number; mediaType: string } };
const toSummary = ({ id, name, content }: SummaryRow): DocumentSummary => ({ id, name, ...content, tokens: documentTokens(content.tokens, name) });

/** The conversation's documents, oldest first; null when the conversation is not the user's. A new chat's id has none. */
export async function listDocuments(userId: string, conversationId: string): Promise<DocumentSummary[] | null> {
  if (!(await conversationOpen(userId, conversationId))) return null;
  return documentsOf(userId, conversationId);
}

/** The user's documents of a conversation, oldest first, for a caller that has already checked the conversation. */
export async function documentsOf(userId: string, conversationId: string): Promise<DocumentSummary[]> {
  const rows = await (await db()).document.findMany({ where: { conversationId, userId }, orderBy: { createdAt: 'asc' }, select: summarySelect });
  return rows.map(toSummary);
}

/** Detaches a document; false when it is not the user's. The extracted text stays cached for re-uploads. */
export async function removeDocument(userId: string, id: string): Promise<boolean> {
  const { count } = await (await db()).document.deleteMany({ where: { id, userId } });
  return count > 0;
}

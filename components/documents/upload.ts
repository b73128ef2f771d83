// One upload with progress: XMLHttpRequest, because fetch reports no upload progress. The file is the
// raw body (the server streams it to disk), its name in a header.
import { type AppError } from '@/lib/errors';
import { documentSummarySchema, type DocumentSummary } from '@/lib/contracts';

export type UploadOutcome = { ok: true; document: DocumentSummary } | { ok: false; error: AppError };

export interface UploadHandle {
  done: Promise<UploadOutcome>;
  abort: () => void;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function errorOf(xhr: XMLHttpRequest): AppError {
  const body = parseJson(xhr.responseText) as { error?: AppError } | null;
  if (body?.error && typeof body.error.code === 'string') return body.error;
  return { code: 'internal', retryable: true, detail: `HTTP ${xhr.status}` };
}

/** `onProgress` gets the uploaded fraction (0–1). */
export function uploadDocument(file: File, conversationId: string, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadOutcome>((resolve) => {
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / Math.max(1, e.total));
    };
    xhr.onload = () => {
      if (xhr.status === 201) {
        const parsed = documentSummarySchema.safeParse(parseJson(xhr.responseText));
        resolve(parsed.success ? { ok: true, document: parsed.data } : { ok: false, error: { code: 'internal', retryable: true } });
      } else resolve({ ok: false, error: errorOf(xhr) });
    };
    xhr.onerror = () => resolve({ ok: false, error: { code: 'stream_dropped', retryable: true, detail: 'network' } });
    xhr.onabort = () => resolve({ ok: false, error: { code: 'stream_dropped', retryable: true, detail: 'aborted' } });
  });
  xhr.open('POST', `/api/documents?conversationId=${encodeURIComponent(conversationId)}`);
  xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
  xhr.setRequestHeader('content-type', 'application/octet-stream');
  xhr.send(file);
  return { done, abort: () => xhr.abort() };
}

'use client';
// The conversation's documents in the browser: the stored ones (sent with the page) plus uploads in flight,
// each with its progress or its error, retryable and removable. `version` changes whenever the set of ready ones does.
import { useCallback, useEffect, useRef, useState } from 'react';
import { deleteDocument, isAborted, type UploadHandle, uploadDocument } from '@/components/api/client';
import type { DocumentSummary } from '@/lib/contracts';
import type { AppError } from '@/lib/errors';

export type DocumentItem =
  | { key: string; status: 'ready'; name: string; document: DocumentSummary }
  | { key: string; status: 'uploading'; name: string; file: File; progress: number }
  | { key: string; status: 'error'; name: string; file: File; error: AppError };

export interface DocumentsState {
  items: DocumentItem[];
  version: number;
  add: (files: Iterable<File>) => void;
  retry: (key: string) => void;
  remove: (key: string) => void;
}

/** `initial`: the conversation's stored documents, as the server rendered the page with them (none for a new chat). */
export function useDocuments(conversationId: string, initial: readonly DocumentSummary[]): DocumentsState {
  const [items, setItems] = useState<DocumentItem[]>(() => initial.map((d) => ({ key: d.id, status: 'ready', name: d.name, document: d })));
  const [version, setVersion] = useState(0);
  const uploads = useRef(new Map<string, UploadHandle>());

  useEffect(() => {
    const running = uploads.current;
    return () => {
      for (const upload of running.values()) upload.abort();
    };
  }, []);

  const update = useCallback(
    (key: string, next: DocumentItem | null) =>
      setItems((current) => (next ? current.map((i) => (i.key === key ? next : i)) : current.filter((i) => i.key !== key))),
    [],
  );

  const start = useCallback(
    (key: string, file: File) => {
      const handle = uploadDocument(file, conversationId, (progress) => update(key, { key, status: 'uploading', name: file.name, file, progress }));
      uploads.current.set(key, handle);
      void handle.done.then((outcome) => {
        uploads.current.delete(key);
        if (outcome.ok) {
          update(key, { key, status: 'ready', name: file.name, document: outcome.value });
          setVersion((v) => v + 1);
        } else if (!isAborted(outcome)) {
          update(key, { key, status: 'error', name: file.name, file, error: outcome.error });
        }
      });
    },
    [conversationId, update],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) {
        const key = crypto.randomUUID();
        setItems((current) => [...current, { key, status: 'uploading', name: file.name, file, progress: 0 }]);
        start(key, file);
      }
    },
    [start],
  );

  const retry = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key);
      if (item?.status !== 'error') return;
      update(key, { key, status: 'uploading', name: item.name, file: item.file, progress: 0 });
      start(key, item.file);
    },
    [items, start, update],
  );

  const remove = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key);
      if (!item) return;
      uploads.current.get(key)?.abort();
      update(key, null);
      if (item.status === 'ready') {
        void deleteDocument(item.document.id).then((result) => {
          if (result.ok || result.status !== 0) setVersion((v) => v + 1); // answered (even refused): recount
        });
      }
    },
    [items, update],
  );

  return { items, version, add, retry, remove };
}

// Messages between the app and the extraction worker.
import type { DocumentErrorCode } from '../errors';

export type WorkerRequest = { id: number; kind: 'extract' | 'detect'; name: string; path: string };

export type WorkerReply =
  | { id: number; ok: true; kind: 'extract'; text: string; mediaType: string; pages: number | null }
  | { id: number; ok: true; kind: 'detect'; mediaType: string }
  | { id: number; ok: false; code: DocumentErrorCode; params: Record<string, string | number>; detail: string }
  | { id: number; ok: false; internal: string; code?: undefined };

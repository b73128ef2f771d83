// Extraction by Kimi's file API: upload (file-extract), read the extracted content, delete the remote
// file whatever happened (the account holds at most 1,000 files). The file streams from disk.
import 'server-only';
import { openAsBlob } from 'node:fs';
import { z } from 'zod';
import { kimiConnection } from '@/lib/kimi/connection';
import { DocumentError } from './errors';

const fileSchema = z.object({ id: z.string().min(1) });
const contentSchema = z.object({ content: z.string(), file_type: z.string().optional() });
const UPLOAD_TIMEOUT_MS = 120_000;
const CALL_TIMEOUT_MS = 30_000;

async function call(url: string, init: RequestInit, apiKey: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, { ...init, headers: { Authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // not JSON: keep the raw text
    }
    throw new DocumentError('extraction_failed', { detail: message.slice(0, 300) }, message);
  }
  return JSON.parse(text);
}

export async function kimiExtract(name: string, filePath: string): Promise<string> {
  const { baseURL, apiKey } = kimiConnection();
  const form = new FormData();
  form.append('file', await openAsBlob(filePath), name);
  form.append('purpose', 'file-extract');
  const { id } = fileSchema.parse(await call(`${baseURL}/files`, { method: 'POST', body: form }, apiKey, UPLOAD_TIMEOUT_MS));
  try {
    const { content } = contentSchema.parse(await call(`${baseURL}/files/${encodeURIComponent(id)}/content`, {}, apiKey, CALL_TIMEOUT_MS));
    return content;
  } finally {
    await call(`${baseURL}/files/${encodeURIComponent(id)}`, { method: 'DELETE' }, apiKey, CALL_TIMEOUT_MS).catch(() => undefined);
  }
}

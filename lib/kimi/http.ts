// Small JSON calls to Kimi's non-chat endpoints (models, balance, token estimate), with a deadline.
// Failures throw the AI SDK's APICallError, so toAppError() reads them like chat failures.
import 'server-only';
import { APICallError } from 'ai';
import type { z } from 'zod';
import { kimiConnection } from './connection';

export interface KimiRequest<T> {
  method?: 'GET' | 'POST';
  body?: unknown;
  schema: z.ZodType<T>;
  timeoutMs: number;
}

export async function kimiJson<T>(path: string, { method = 'GET', body, schema, timeoutMs }: KimiRequest<T>): Promise<T> {
  const { baseURL, apiKey } = kimiConnection();
  const url = `${baseURL}${path}`;
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new APICallError({ message: response.statusText, url, requestBodyValues: body, statusCode: response.status, responseBody: text });
  }
  return schema.parse(JSON.parse(text));
}

// JSON error responses in the one shape the browser understands (`ApiErrorBody`), and the headers of
// the answer's event stream.
import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import { readBodyWithin } from '@/lib/security/limits';
import type { ApiErrorBody, ChatError } from './types';

export function errorJson(status: number, error: ChatError): Response {
  const body: ApiErrorBody = { error };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * The UI message stream's headers plus `no-transform`: without it `next start` gzips the event stream,
 * and zlib holds small chunks back, so the first words of an answer arrived only with the last.
 */
export const ANSWER_STREAM_HEADERS: Record<string, string> = { ...UI_MESSAGE_STREAM_HEADERS, 'cache-control': 'no-cache, no-transform' };

export const notFound = () => errorJson(404, { code: 'not_found', retryable: false });
export const badRequest = (detail: string) => errorJson(400, { code: 'bad_request', detail, retryable: false });

type Schema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } };

/** The JSON body, read within the size limit (413 beyond it); a 400 when it is not JSON. */
export async function readJsonValue(req: Request): Promise<{ value: unknown } | Response> {
  const text = await readBodyWithin(req);
  if (typeof text !== 'string') return text;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return badRequest('the body is not valid JSON');
  }
}

/** Parses a JSON body with a zod schema; a 400 with the first problem otherwise. */
export async function readJson<T>(req: Request, schema: Schema<T>): Promise<T | Response> {
  const read = await readJsonValue(req);
  return read instanceof Response ? read : parseBody(read.value, schema);
}

/** Validates an already read body; a 400 with the first problem otherwise. */
export function parseBody<T>(raw: unknown, schema: Schema<T>): T | Response {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return badRequest(issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : 'invalid body');
}

// Reading requests and writing refusals, for every route: JSON bodies within the size limit and parsed
// with zod, errors in the one shape the browser understands (ApiErrorBody), and admin form posts (the admin
// pages work without client JavaScript: the answer is a 303 back to the page, with ?error= on failure).
import { type ApiErrorBody, type AppError, ERROR_STATUS } from './errors';

/** Anything with zod's safeParse. */
export type Schema<T> = {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
};

/** The JSON refusal for an error; the status defaults to the code's (ERROR_STATUS). */
export function toResponse(error: AppError, status: number = ERROR_STATUS[error.code]): Response {
  const body: ApiErrorBody = { error };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

export function errorJson(status: number, error: AppError): Response {
  return toResponse(error, status);
}

export const notFound = () => toResponse({ code: 'not_found', retryable: false });
export const badRequest = (detail: string) => toResponse({ code: 'bad_request', detail, retryable: false });

/** JSON API bodies: a chat turn is at most 20 parts of 100,000 characters; anything bigger is abuse. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

function payloadTooLarge(maxBytes: number): Response {
  return toResponse({ code: 'payload_too_large', params: { maxKb: Math.floor(maxBytes / 1024) }, retryable: false }, 413);
}

/** The next piece of a body: a web stream's reader, or a Node stream's async iterator. */
export type ReadChunk = () => Promise<{ done?: boolean; value?: Uint8Array }>;

/**
 * A body as text, or null once it passes `maxBytes`: refused up front from its declared Content-Length,
 * and counted while reading otherwise (a chunked body declares nothing), so no more is ever buffered. On
 * null the caller stops the body (the reading stops here).
 */
export async function textWithin(read: ReadChunk, declaredLength: string | null | undefined, maxBytes: number): Promise<string | null> {
  if (Number(declaredLength ?? NaN) > maxBytes) return null;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await read();
    if (done || !value) break;
    total += value.byteLength;
    if (total > maxBytes) return null;
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as text, or a 413 once it passes `maxBytes` (see textWithin). */
export async function readBodyWithin(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string | Response> {
  const declared = req.headers.get('content-length');
  // Refused from the declared length without touching the body.
  if (Number(declared ?? NaN) > maxBytes) return payloadTooLarge(maxBytes);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const text = await textWithin(() => reader.read(), declared, maxBytes);
  if (text !== null) return text;
  await reader.cancel();
  return payloadTooLarge(maxBytes);
}

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

// Admin mutations: a plain HTML form (answered with a redirect back) or JSON (answered with JSON).
export interface AdminInput<T> {
  data: T | null;
  /** Where a form post goes back to: its `back` field when it is an /admin path. */
  back: string | null;
  problem: string | null;
}

const isForm = (req: Request) => /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(req.headers.get('content-type') ?? '');

export async function readAdminInput<T>(req: Request, schema: Schema<T>): Promise<AdminInput<T>> {
  let raw: unknown;
  let back: string | null = null;
  try {
    if (isForm(req)) {
      const form = Object.fromEntries([...(await req.formData()).entries()].filter(([, v]) => typeof v === 'string'));
      back = typeof form.back === 'string' && /^\/admin(\/[\w\-/]*)?(\?[\w\-=&%.:]*)?$/.test(form.back) ? form.back : '/admin';
      raw = form;
    } else {
      raw = await req.json();
    }
  } catch {
    return { data: null, back, problem: 'the body is not valid' };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { data: parsed.data, back, problem: null };
  const issue = parsed.error.issues[0];
  return { data: null, back, problem: issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : 'invalid body' };
}

function backTo(req: Request, back: string, error?: string): Response {
  const url = new URL(back, req.url);
  if (error) url.searchParams.set('error', error);
  else url.searchParams.delete('error');
  return new Response(null, { status: 303, headers: { location: url.pathname + url.search } });
}

export function adminDone(req: Request, input: AdminInput<unknown>, body: unknown = { ok: true }): Response {
  return input.back ? backTo(req, input.back) : Response.json(body);
}

export function adminInvalid(req: Request, input: AdminInput<unknown>): Response {
  return input.back ? backTo(req, input.back, 'invalid') : badRequest(input.problem ?? 'invalid body');
}

/** A refusal with a reason the page translates (`admin.errors.<reason>`). */
export function adminRefused(req: Request, input: AdminInput<unknown>, status: number, reason: string, error: AppError): Response {
  return input.back ? backTo(req, input.back, reason) : errorJson(status, { ...error, detail: reason });
}

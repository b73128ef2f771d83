// JSON error responses in the one shape the browser understands (`ApiErrorBody`).
import type { ApiErrorBody, ChatError } from './types';

export function errorJson(status: number, error: ChatError): Response {
  const body: ApiErrorBody = { error };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

export const notFound = () => errorJson(404, { code: 'not_found', retryable: false });
export const badRequest = (detail: string) => errorJson(400, { code: 'bad_request', detail, retryable: false });

/** Parses a JSON body with a zod schema; a 400 with the first problem otherwise. */
export async function readJson<T>(req: Request, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }): Promise<T | Response> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    return badRequest('the body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return badRequest(issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : 'invalid body');
}

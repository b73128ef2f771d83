// Admin mutations accept a plain HTML form (the admin pages work without client JavaScript: the answer is
// a 303 back to the page, with ?error= on failure) or JSON (answered with JSON).
import 'server-only';
import { badRequest, errorJson } from '@/lib/chat/http';
import type { ChatError } from '@/lib/chat/types';

type Schema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } };

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
export function adminRefused(req: Request, input: AdminInput<unknown>, status: number, reason: string, error: ChatError): Response {
  return input.back ? backTo(req, input.back, reason) : errorJson(status, { ...error, detail: reason });
}

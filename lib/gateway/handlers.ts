// The /api/v1 endpoints (Kimi's dialect): chat completions, the model list and the token estimate. Each
// call: the personal key and its user (./authenticate), then at once the per-key and per-user rate limits,
// the user's monthly quota and the body — so over the quota nothing reaches Kimi — then Kimi. A chat call
// is admitted here for both ways it is served: these route handlers (Next.js) and the start script's
// node:http fast path (./node-server), which differ only in how bytes go in and out.
import 'server-only';
import { servedModels } from '@/lib/chat/models';
import { type ReadChunk, textWithin } from '@/lib/http';
import { kimiConnection } from '@/lib/kimi/connection';
import { scrub } from '@/lib/kimi/errors';
import { checkApiRateLimit } from '@/lib/ratelimit';
import { checkQuota } from '@/lib/usage/quota';
import { type ApiCaller, apiCaller } from './authenticate';
import { invalidRequest, kimiError, quotaExceeded, rateLimited } from './errors';
import { forwardChatCompletion } from './forward';
import { type ChatCompletionRequest, chatCompletionSchema, estimateSchema, MAX_GATEWAY_BODY_BYTES } from './request';

type Parsed<T> = { body: T; text: string } | Response;

/** A request's body as the handlers read it: its pieces and its declared length. */
export interface BodySource {
  read: ReadChunk;
  declaredLength: string | null | undefined;
  /** Stops a body left unread past the limit. */
  cancel(): void;
}

function webBody(req: Request): BodySource {
  const reader = req.body?.getReader();
  return {
    read: reader ? () => reader.read() : async () => ({ done: true }),
    declaredLength: req.headers.get('content-length'),
    cancel: () => void reader?.cancel().catch(() => undefined),
  };
}

async function readRequest<T>(
  source: BodySource,
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
): Promise<Parsed<T>> {
  const text = await textWithin(source.read, source.declaredLength, MAX_GATEWAY_BODY_BYTES);
  if (text === null) {
    source.cancel();
    return invalidRequest(`the body exceeds ${MAX_GATEWAY_BODY_BYTES / (1024 * 1024)} MB`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalidRequest('the body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { body: parsed.data, text };
  const issue = parsed.error.issues[0];
  return invalidRequest(issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : 'invalid body');
}

/** The refusals every spending call shares, checked together: rate limits, then the quota. */
async function admit(caller: ApiCaller): Promise<Response | null> {
  const [waitSeconds, overQuota] = await Promise.all([checkApiRateLimit(caller.user.id, caller.key.id), checkQuota(caller.user.id)]);
  if (waitSeconds !== null) return rateLimited(waitSeconds);
  if (overQuota) return quotaExceeded(new Date(String(overQuota.params?.resetsAt)));
  return null;
}

/** A chat call that may go to Kimi: who calls, the validated body and its text as received. */
export interface AdmittedChatCall {
  caller: ApiCaller;
  body: ChatCompletionRequest;
  text: string;
}

/** The checks of POST /api/v1/chat/completions before anything goes upstream: the call, or the refusal to send. */
export async function admitChatCall(authorization: string | null | undefined, source: BodySource): Promise<AdmittedChatCall | Response> {
  const caller = await apiCaller(authorization);
  if (caller instanceof Response) return caller;
  const [refused, read] = await Promise.all([admit(caller), readRequest(source, chatCompletionSchema)]);
  if (refused) return refused;
  if (read instanceof Response) return read;
  return { caller, body: read.body, text: read.text };
}

/** POST /api/v1/chat/completions */
export async function chatCompletions(req: Request): Promise<Response> {
  const startedAt = performance.now();
  const admitted = await admitChatCall(req.headers.get('authorization'), webBody(req));
  if (admitted instanceof Response) return admitted;
  return forwardChatCompletion(req, admitted.caller, admitted.body, admitted.text, startedAt);
}

/** GET /api/v1/models — what the app's picker offers (the live list), in Kimi's shape. */
export async function listModels(req: Request): Promise<Response> {
  const caller = await apiCaller(req.headers.get('authorization'));
  if (caller instanceof Response) return caller;
  const models = await servedModels();
  const created = Math.floor(Date.now() / 1000);
  return Response.json(
    {
      object: 'list',
      data: models.map((m) => ({
        id: m.id,
        object: 'model',
        created,
        owned_by: 'moonshot',
        context_length: m.contextWindow,
        supports_image_in: m.vision,
        supports_reasoning: m.thinking !== 'never',
      })),
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}

/** POST /api/v1/tokenizers/estimate-token-count — Kimi's own count (free: rate-limited, not in the ledger). */
export async function estimateTokenCount(req: Request): Promise<Response> {
  const caller = await apiCaller(req.headers.get('authorization'));
  if (caller instanceof Response) return caller;
  const [waitSeconds, read] = await Promise.all([checkApiRateLimit(caller.user.id, caller.key.id), readRequest(webBody(req), estimateSchema)]);
  if (waitSeconds !== null) return rateLimited(waitSeconds);
  if (read instanceof Response) return read;
  let upstream: Response;
  try {
    const { baseURL, apiKey } = kimiConnection();
    upstream = await fetch(`${baseURL}/tokenizers/estimate-token-count`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: read.text,
      signal: AbortSignal.any([req.signal, AbortSignal.timeout(30_000)]),
    });
  } catch {
    return kimiError(502, 'server_error', 'Kimi could not be reached, please try again later');
  }
  const text = await upstream.text();
  if (upstream.ok) return new Response(text, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
  return new Response(scrub(text), { status: upstream.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

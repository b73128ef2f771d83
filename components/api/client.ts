// The browser's one door to the app's JSON API: a path builder and a typed function per route, each
// answering a Result (lib/errors.ts) whose refusal is the server's own AppError, parsed here once.
// Browser-safe: types and pure helpers only. The chat stream itself goes through the AI SDK's
// DefaultChatTransport (components/hooks/use-chat-session.ts), which uses `routes.chat` and `chatRequestBody`.
import type { ChatRequest, ChatUIMessage, ConversationDetail, ConversationPage, ConversationSettings, ThreadPage } from '@/lib/chat/types';
import type { ContextBudget, DocumentSummary } from '@/lib/contracts';
import type { ApiErrorBody, AppError, Result } from '@/lib/errors';
import type { ApiKeySummary } from '@/lib/gateway/keys';

const seg = encodeURIComponent;

/** Every path the browser calls or posts a form to. */
export const routes = {
  chat: '/api/chat',
  chatStop: (id: string) => `/api/chat/${seg(id)}/stop`,
  conversations: (query?: URLSearchParams) => (query && query.size > 0 ? `/api/conversations?${query}` : '/api/conversations'),
  conversation: (id: string) => `/api/conversations/${seg(id)}`,
  conversationBranch: (id: string) => `/api/conversations/${seg(id)}/branch`,
  conversationMessages: (id: string, query: URLSearchParams) => `/api/conversations/${seg(id)}/messages?${query}`,
  conversationContext: (id: string, model: string, images: readonly string[] = []) =>
    `/api/conversations/${seg(id)}/context?model=${seg(model)}${images.length > 0 ? `&images=${seg(images.join(','))}` : ''}`,
  documentUpload: (conversationId: string) => `/api/documents?conversationId=${seg(conversationId)}`,
  document: (id: string) => `/api/documents/${seg(id)}`,
  images: '/api/images',
  image: (id: string) => `/api/images/${seg(id)}`,
  /** Admin forms (native form posts, answered with a redirect). */
  documentSettings: '/api/documents/settings',
  adminSettings: '/api/admin/settings',
  adminPrices: '/api/admin/prices',
  adminUser: (id: string) => `/api/admin/users/${seg(id)}`,
  /** Personal API keys: the owner's JSON routes, and the admin page's forms. */
  apiKeys: '/api/keys',
  apiKey: (id: string) => `/api/keys/${seg(id)}`,
  adminApiAccess: '/api/admin/api-access',
  adminApiKey: (id: string) => `/api/admin/api-keys/${seg(id)}`,
} as const;

export type ApiResult<T> = Result<T>;

/** What a request that never got an answer is reported as (`detail` tells the two apart). */
const NETWORK_ERROR: AppError = { code: 'stream_dropped', retryable: true, detail: 'network' };
const ABORTED_ERROR: AppError = { code: 'stream_dropped', retryable: true, detail: 'aborted' };

/** The request was cancelled by its caller (an AbortSignal, or an upload's abort()): nothing to show. */
export const isAborted = (result: Result<unknown>): boolean => !result.ok && result.status === 0 && result.error.detail === 'aborted';

/** An `ApiErrorBody` (already parsed JSON) as an AppError, or null when it is not one. */
export function appErrorOf(body: unknown): AppError | null {
  const error = (body as Partial<ApiErrorBody> | null)?.error;
  if (!error || typeof error.code !== 'string') return null;
  return { code: error.code, params: error.params, detail: error.detail, retryable: Boolean(error.retryable) };
}

/** The one parser of error bodies: the server's AppError, else an `internal` one naming the status. */
export function errorFromBody(status: number, text: string): AppError {
  let body: unknown = null;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a proxy's page, an empty body).
  }
  return appErrorOf(body) ?? { code: 'internal', retryable: true, detail: `HTTP ${status}` };
}

export async function request<T>(path: string, init: RequestInit, read: (res: Response) => Promise<T>): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    return { ok: false, status: 0, error: (err as Error)?.name === 'AbortError' ? ABORTED_ERROR : NETWORK_ERROR };
  }
  if (!res.ok) return { ok: false, status: res.status, error: errorFromBody(res.status, await res.text().catch(() => '')) };
  try {
    return { ok: true, value: await read(res) };
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') return { ok: false, status: 0, error: ABORTED_ERROR };
    return { ok: false, status: res.status, error: { code: 'internal', retryable: true, detail: 'unreadable response' } };
  }
}

export const json = <T>(res: Response) => res.json() as Promise<T>;
export const none = async () => undefined;
export const sendJson = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

// --- Conversations

export function listConversations(
  query: { q?: string; cursor?: string | null; limit: number },
  signal?: AbortSignal,
): Promise<Result<ConversationPage>> {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.q) params.set('q', query.q);
  if (query.cursor) params.set('cursor', query.cursor);
  return request(routes.conversations(params), { signal }, json<ConversationPage>);
}

export function getConversation(id: string, signal?: AbortSignal): Promise<Result<ConversationDetail>> {
  return request(routes.conversation(id), { signal }, json<ConversationDetail>);
}

export function patchConversation(id: string, body: { title?: string; settings?: ConversationSettings }): Promise<Result<void>> {
  return request(routes.conversation(id), sendJson('PATCH', body), none);
}

/** Shows the branch through `messageId` (one of a message's alternatives); answers the new path's newest page. */
export function switchBranch(id: string, messageId: string): Promise<Result<ThreadPage>> {
  return request(routes.conversationBranch(id), sendJson('POST', { messageId }), json<ThreadPage>);
}

/** The messages of the current path before `before` (the thread's oldest), back to `to` when given. */
export function getOlderMessages(id: string, query: { before: string; to?: string }, signal?: AbortSignal): Promise<Result<ThreadPage>> {
  const params = new URLSearchParams({ before: query.before });
  if (query.to) params.set('to', query.to);
  return request(routes.conversationMessages(id, params), { signal }, json<ThreadPage>);
}

export function deleteConversation(id: string): Promise<Result<void>> {
  return request(routes.conversation(id), { method: 'DELETE' }, none);
}

// --- Personal API keys

export function createApiKey(body: { name: string; expiresInDays: number | null }): Promise<Result<{ key: ApiKeySummary; secret: string }>> {
  return request(routes.apiKeys, sendJson('POST', body), json<{ key: ApiKeySummary; secret: string }>);
}

export function revokeApiKey(id: string): Promise<Result<void>> {
  return request(routes.apiKey(id), { method: 'DELETE' }, none);
}

// --- Chat

/** Asks the server to stop generating (the stream itself is aborted by useChat's stop()). */
export function stopChat(id: string): Promise<Result<void>> {
  return request(routes.chatStop(id), { method: 'POST' }, none);
}

/**
 * The body of POST /api/chat: only the new turn (the history lives on the server). A Continue re-sends
 * with no new message (`continueOf`), an edit names the message it is an alternative to (`editOf`); a new
 * message names the answer it follows and a regenerate the question it answers again (`parentId`), so the
 * turn lands on the branch the thread shows.
 */
export function chatRequestBody(input: {
  id: string;
  messages: ChatUIMessage[];
  trigger: ChatRequest['trigger'];
  settings: ConversationSettings;
  body?: Record<string, unknown>;
}): ChatRequest {
  const { id, messages, trigger, settings, body } = input;
  const continueOf = typeof body?.continueOf === 'string' ? body.continueOf : undefined;
  const request: ChatRequest = { id, trigger: continueOf ? 'continue-message' : trigger, settings };
  if (continueOf) {
    request.continueOf = continueOf;
    return request;
  }
  const last = messages[messages.length - 1];
  if (trigger === 'submit-message' && last?.role === 'user') {
    request.message = {
      id: last.id,
      role: 'user',
      // Text, and attached images (file parts pointing at /api/images/:id); nothing else goes to the server.
      parts: last.parts.flatMap((p): NonNullable<ChatRequest['message']>['parts'] => {
        if (p.type === 'text') return [{ type: 'text', text: p.text }];
        if (p.type === 'file' && /^\/api\/images\/[0-9a-f-]{36}$/i.test(p.url)) {
          const mediaType = p.mediaType as 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
          return [{ type: 'file', mediaType, url: p.url, ...(p.filename ? { filename: p.filename } : {}) }];
        }
        return [];
      }),
    };
  }
  const previous = messages.at(-2);
  if (typeof body?.editOf === 'string') request.editOf = body.editOf;
  // After the answer shown; a first message is a root. An answer this tab never saw start (stopped at
  // once) is left to the server, whose path ends with it.
  else if (trigger === 'submit-message' && previous?.role !== 'user') request.parentId = previous?.id ?? null;
  else if (trigger === 'regenerate-message' && last?.role === 'user') request.parentId = last.id;
  return request;
}

// --- Documents

export function deleteDocument(id: string): Promise<Result<void>> {
  return request(routes.document(id), { method: 'DELETE' }, none);
}

/** `images`: ids of images attached in the composer, not yet sent (counted like the history's). */
export function getContextBudget(
  conversationId: string,
  model: string,
  images: readonly string[],
  signal?: AbortSignal,
): Promise<Result<ContextBudget>> {
  return request(routes.conversationContext(conversationId, model, images), { signal }, json<ContextBudget>);
}

export interface UploadHandle {
  done: Promise<Result<DocumentSummary>>;
  abort: () => void;
}

/**
 * One upload with progress (`onProgress` gets the uploaded fraction, 0–1): XMLHttpRequest, because fetch
 * reports no upload progress. The file is the raw body (the server streams it to disk), its name in a header.
 */
export function uploadDocument(file: File, conversationId: string, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Result<DocumentSummary>>((resolve) => {
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / Math.max(1, e.total));
    };
    xhr.onload = () => {
      if (xhr.status !== 201) return resolve({ ok: false, status: xhr.status, error: errorFromBody(xhr.status, xhr.responseText) });
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        // handled below
      }
      const invalid = { ok: false, status: xhr.status, error: { code: 'internal', retryable: true } } as const;
      // The schema (and zod) load with the first upload, not with every chat page.
      import('@/lib/contracts').then(
        ({ documentSummarySchema }) => {
          const parsed = documentSummarySchema.safeParse(body);
          resolve(parsed.success ? { ok: true, value: parsed.data } : invalid);
        },
        () => resolve(invalid),
      );
    };
    xhr.onerror = () => resolve({ ok: false, status: 0, error: NETWORK_ERROR });
    xhr.onabort = () => resolve({ ok: false, status: 0, error: ABORTED_ERROR });
  });
  xhr.open('POST', routes.documentUpload(conversationId));
  xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
  xhr.setRequestHeader('content-type', 'application/octet-stream');
  xhr.send(file);
  return { done, abort: () => xhr.abort() };
}

/** POST /api/images: an image for the next message (checked by content on the server). */
export interface UploadedImage {
  id: string;
  format: string;
  width: number;
  height: number;
  tokens: number;
}
export function uploadImage(file: File): Promise<Result<UploadedImage>> {
  return request(routes.images, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } }, json<UploadedImage>);
}

// The contract between the chat server (app/api/chat, app/api/conversations) and the browser.
// Safe to import from client components: types and zod schemas only.
import type { UIMessage } from 'ai';
import { z } from 'zod';

/** Error codes shown in the thread; each has a translated message `errors.<code>` in lib/i18n. */
export const ERROR_CODES = [
  'unauthorized', // signed out or session ended
  'forbidden', // not yours / not an admin
  'not_found',
  'bad_request', // invalid body
  'message_too_long',
  'payload_too_large', // request body over the JSON API limit (params: maxKb)
  'conversation_too_long', // too many messages in one conversation: start a new chat (params: max)
  'context_too_long', // prompt + reserved answer over the model's window (details: window, requested)
  'invalid_temperature',
  'rate_limited', // Kimi 429 rate_limit_reached_error (details: retryAfterSeconds)
  'engine_overloaded', // Kimi 429 engine_overloaded_error
  'quota_exceeded', // Kimi 429 exceeded_current_quota_error (account balance)
  'user_quota_exceeded', // our own per-user monthly limit (details: resetsAt)
  'too_many_requests', // our own per-user rate limit
  'content_filter',
  'invalid_api_key', // Kimi 401
  'model_not_found', // Kimi 404
  'upstream_error', // Kimi 5xx / unknown
  'upstream_timeout', // no first token in time, or a stall mid-stream
  'stream_dropped', // connection lost mid-answer; the partial answer is kept
  'interrupted', // the server stopped (restart/crash) before the answer finished
  'conversation_busy', // an answer is already being generated in this conversation
  'internal', // our bug
  // Documents (messages in lib/i18n documents.errors.<code>):
  'file_too_large', // over MAX_UPLOAD_MB (details: limitMb)
  'unsupported_file_type', // not PDF, DOCX or UTF-8 text (details: type)
  'empty_file',
  'pdf_encrypted', // needs a password
  'pdf_corrupt',
  'pdf_scanned', // no text layer: scanned images (details: pages)
  'docx_zip_bomb', // declared or actual inflated size / ratio over the limits
  'docx_corrupt',
  'document_no_text', // extraction produced only whitespace
  'document_too_large', // more text (or XML, pages, memory, time) than one document may take (details: maxChars)
  'extraction_failed', // Kimi's file API could not extract it (details: upstream message)
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ChatError {
  code: ErrorCode;
  /** Upstream's own words, for the details disclosure; never shown as the main text. */
  detail?: string;
  /** Values for the translated message, e.g. { window: 8192, requested: 9120, retryAfterSeconds: 3 }. */
  params?: Record<string, string | number>;
  retryable: boolean;
}

export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'error' | 'interrupted';

/** Why Kimi ended an answer early, when it did: `length` = the answer budget ran out (Continue extends it). */
export type CutReason = 'length' | 'content_filter';

/** The numbers of an answer's ledger rows (summed over its calls when it was continued), shown under it. */
export interface MessageDetails {
  /** The model that answered (the last call's). */
  model: string;
  /** What the conversation asked for: `auto`, or the model itself. */
  requestedModel: string;
  promptTokens: number;
  cachedTokens: number;
  /** Reasoning included, as Kimi counts it. */
  completionTokens: number;
  reasoningTokens: number;
  /** Decimal string, exact as the ledger stores it. */
  cost: string;
  currency: 'CNY' | 'USD';
  /** The first call's time to first token; null when nothing arrived. */
  ttftMs: number | null;
  /** All calls' durations added up. */
  durationMs: number;
  /** Upstream calls behind the answer: 1, plus one per Continue. */
  calls: number;
  /** Kimi reported no usage for some call (stopped or dropped): those counts are our estimate. */
  estimated: boolean;
}

/** Sent as UI message metadata on the assistant message (start and finish chunks) and stored with it. */
export interface ChatMessageMetadata {
  /** The model that served the answer (for auto: the routed one). */
  model?: string;
  status?: MessageStatus;
  error?: ChatError;
  createdAt?: string;
  usage?: { promptTokens: number; cachedTokens: number; completionTokens: number; reasoningTokens: number };
  /** Set when Kimi cut the answer short (budget or content filter); absent for a whole answer. */
  cutReason?: CutReason;
  /** From the ledger, once the answer is saved. */
  details?: MessageDetails;
}

/** Data parts streamed alongside the answer (transient: not stored in the message). */
export interface ChatDataTypes {
  [name: string]: unknown;
  /** The conversation's generated title, sent at the end of the first exchange. */
  title: { title: string };
}

export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataTypes>;

export const reasoningEffortSchema = z.enum(['low', 'high', 'max']);

/** Per-conversation settings, remembered with the conversation. */
export const conversationSettingsSchema = z.object({
  /** A model id, or `auto` (the app picks per turn: lib/kimi/auto.ts). */
  model: z.string().min(1).max(100),
  systemPrompt: z.string().max(20_000).default(''),
  /** null = the model's default. Sent only to models with a free temperature (none of today's). */
  temperature: z.number().min(0).max(1).nullable().default(null),
  /** Models with optional thinking (K2.6): false turns it off. Ignored elsewhere. */
  thinking: z.boolean().default(true),
  /** Models with reasoning efforts (K3); null = Kimi's default. Ignored elsewhere. */
  reasoningEffort: reasoningEffortSchema.nullable().default(null),
});
export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;

export const MAX_MESSAGE_CHARS = 100_000;

/** POST /api/chat. The client sends only the new turn; history comes from the database. */
export const chatRequestSchema = z.object({
  /** The conversation's id, a UUID chosen by the client for a new chat. */
  id: z.uuid(),
  /** continue-message: extend the last answer, which Kimi cut at its budget (`continueOf`), in partial mode. */
  trigger: z.enum(['submit-message', 'regenerate-message', 'continue-message']),
  /** submit-message: the new user message. With `editOf`, it replaces that (last) user message. */
  message: z
    .object({
      id: z.string().min(1).max(100),
      role: z.literal('user'),
      parts: z.array(z.object({ type: z.literal('text'), text: z.string().min(1).max(MAX_MESSAGE_CHARS) })).min(1).max(20),
    })
    .optional(),
  /** Edit-and-resend: the id of the last user message being replaced. */
  editOf: z.string().min(1).max(100).optional(),
  /** continue-message: the id of the last answer, cut off at its budget. */
  continueOf: z.string().min(1).max(100).optional(),
  settings: conversationSettingsSchema,
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** One entry of the model picker (GET /api/models, and the pages' initial list). Safe for the browser. */
export interface ModelOption {
  /** A model id, or `auto`. */
  id: string;
  label: string;
  /** `auto`: the app's Auto; `general` / `code`: a catalog model; `unknown`: an id only the endpoint lists. */
  kind: 'auto' | 'general' | 'code' | 'unknown';
  /** For auto: the largest window among its candidates. */
  contextWindow: number;
  thinking: 'never' | 'always' | 'optional';
  /** Empty when the model takes no reasoning_effort. */
  reasoningEfforts: ReadonlyArray<'low' | 'high' | 'max'>;
  /** true: temperature is Kimi's own (never sent); false: the conversation may set one in [0, 1]. */
  fixedTemperature: boolean;
  /** What Kimi uses when nothing is sent (for the settings hint). */
  defaultTemperature: number;
  vision: boolean;
  /** Per million tokens in the instance's currency; null when no price is known (admins set it). For auto: null. */
  priceHint: { currency: 'CNY' | 'USD'; cacheHit: number | null; input: number; output: number } | null;
  /** The seed price is not confirmed by Moonshot: admins are asked to check it. */
  priceUnconfirmed: boolean;
  /** For auto: the models it chooses from, cheapest first. */
  candidates?: string[];
}

/** What the browser needs to know about the instance's models. */
export interface ModelCatalogView {
  models: ModelOption[];
  /** The instance default (admin setting, else KIMI_DEFAULT_MODEL, else auto), always one of `models`. */
  defaultModel: string;
}

/** One row of the sidebar. */
export interface ConversationSummary {
  id: string;
  title: string;
  model: string;
  updatedAt: string;
}

/** GET /api/conversations?cursor=&q=&limit= */
export interface ConversationPage {
  items: ConversationSummary[];
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

/** GET /api/conversations/:id */
export interface ConversationDetail extends ConversationSummary {
  settings: ConversationSettings;
  /** The conversation remembered a model the endpoint no longer serves: settings.model is the instance default now. */
  retiredModel?: string;
  messages: ChatUIMessage[];
  /** True while an answer is being generated; the client resumes the live stream. */
  streaming: boolean;
}

/** Error body of every JSON API error response. */
export interface ApiErrorBody {
  error: ChatError;
}

/** One attached document, as the browser sees it (POST /api/documents, GET /api/conversations/:id/documents). */
export const documentSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  /** PDFs: page count. */
  pages: z.number().int().nullable(),
  /** Tokens of the document's system message. */
  tokens: z.number().int().nonnegative(),
  mediaType: z.string(),
});
export type DocumentSummary = z.infer<typeof documentSummarySchema>;

/** GET /api/conversations/:id/context?model= — the context meter above the composer. */
export interface ContextBudget {
  /** The model asked for (or `auto`) and the one that would serve (auto's pick; the same otherwise). */
  model: string;
  servedModel: string | null;
  window: number;
  systemTokens: number;
  historyTokens: number;
  documentsTokens: number;
  reservedTokens: number;
  /** Prompt + reserved answer. */
  totalTokens: number;
  fits: boolean;
  /** When it does not fit: by how much, and the smallest model that would hold it (none: nothing fits). */
  over: number;
  suggestedModel: string | null;
  /** Upper bound of this turn's cost: prompt at the input rate + the reserved answer at the output rate. */
  cost: { amount: number; currency: 'CNY' | 'USD' } | null;
}

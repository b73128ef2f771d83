// The contract between the chat server (app/api/chat, app/api/conversations) and the browser.
// Safe to import from client components: types and zod schemas only.
import type { UIMessage } from 'ai';
import { z } from 'zod';
import { type MessageDetails, reasoningEffortSchema } from '@/lib/contracts';
import type { AppError } from '@/lib/errors';
import { MAX_IMAGES_PER_MESSAGE, MAX_MESSAGE_CHARS } from './limits';

export { MAX_IMAGES_PER_MESSAGE, MAX_THREAD_PAGE, NEWEST_PAGE, THREAD_PAGE } from './limits';

export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'error' | 'interrupted';

/** Why Kimi ended an answer early, when it did: `length` = the answer budget ran out (Continue extends it). */
export type CutReason = 'length' | 'content_filter';

/** Sent as UI message metadata on the assistant message (start and finish chunks) and stored with it. */
export interface ChatMessageMetadata {
  /** The model that served the answer (for auto: the routed one). */
  model?: string;
  status?: MessageStatus;
  error?: AppError;
  createdAt?: string;
  usage?: { promptTokens: number; cachedTokens: number; completionTokens: number; reasoningTokens: number };
  /** Set when Kimi cut the answer short (budget or content filter); absent for a whole answer. */
  cutReason?: CutReason;
  /** From the ledger, once the answer is saved. */
  details?: MessageDetails;
  /** The model refused web search while thinking: this model (K2.6, thinking off) answered instead. */
  searchFallback?: { from: string; to: string };
  /** Branches: this message and its alternatives (same parent, oldest first), when there are several. */
  siblings?: string[];
}

/** Data parts streamed alongside the answer (transient: not stored in the message). */
export interface ChatDataTypes {
  [name: string]: unknown;
  /** The conversation's generated title (from its first question), sent as soon as it is ready. */
  title: { title: string };
}

export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataTypes>;

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
  /** Offer Kimi's built-in web search on this conversation's turns (when the instance allows it). */
  webSearch: z.boolean().default(false),
});
export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;

/** POST /api/chat. The client sends only the new turn; history comes from the database. */
export const chatRequestSchema = z.object({
  /** The conversation's id, a UUID chosen by the client for a new chat. */
  id: z.uuid(),
  /** continue-message: extend the last answer, which Kimi cut at its budget (`continueOf`), in partial mode. */
  trigger: z.enum(['submit-message', 'regenerate-message', 'continue-message']),
  /** submit-message: the new user message. With `editOf`, it becomes a sibling of that user message (a new branch). */
  message: z
    .object({
      id: z.string().min(1).max(100),
      role: z.literal('user'),
      parts: z
        .array(
          z.union([
            z.object({ type: z.literal('text'), text: z.string().min(1).max(MAX_MESSAGE_CHARS) }),
            // An attached image (POST /api/images), referenced by its authorised route; checked to be the sender's.
            z.object({
              type: z.literal('file'),
              mediaType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/gif']),
              url: z.string().regex(/^\/api\/images\/[0-9a-f-]{36}$/i),
              filename: z.string().max(255).optional(),
            }),
          ]),
        )
        .min(1)
        .max(20)
        .refine((parts) => parts.filter((p) => p.type === 'file').length <= MAX_IMAGES_PER_MESSAGE, {
          message: `at most ${MAX_IMAGES_PER_MESSAGE} images per message`,
        }),
    })
    .optional(),
  /**
   * The message the turn follows on its branch: submit-message — the answer the new message follows (null: a
   * new first message); regenerate-message — the user message answered again. Absent: the current path's end.
   */
  parentId: z.string().min(1).max(100).nullable().optional(),
  /** Edit-and-resend: the user message (any on the path) the new message is an alternative to. */
  editOf: z.string().min(1).max(100).optional(),
  /** continue-message: the id of the last answer, cut off at its budget. */
  continueOf: z.string().min(1).max(100).optional(),
  settings: conversationSettingsSchema,
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** One row of the sidebar. */
export interface ConversationSummary {
  id: string;
  title: string;
  model: string;
  updatedAt: string;
  /** Shown in the Pinned section at the top of the sidebar. */
  pinned?: boolean;
  /** Only in the sidebar's Archived view. */
  archived?: boolean;
}

/** GET /api/conversations?cursor=&q=&limit=&view= */
export interface ConversationPage {
  items: ConversationSummary[];
  /** The pinned chats: on the first page of the default view only (absent otherwise). */
  pinned?: ConversationSummary[];
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

/** A stretch of the current path, oldest first, and how many of the path's messages come before it. */
export interface ThreadPage {
  messages: ChatUIMessage[];
  olderCount: number;
}

/** GET /api/conversations/:id: the conversation with the newest page of its current path (older: ThreadPage). */
export interface ConversationDetail extends ConversationSummary, ThreadPage {
  settings: ConversationSettings;
  /** The conversation remembered a model the endpoint no longer serves: settings.model is the instance default now. */
  retiredModel?: string;
  /** True while an answer is being generated; the client resumes the live stream. */
  streaming: boolean;
}

// Size limits with specific error codes: the length of one chat message and the number of messages in one
// conversation (request bodies are limited while they are read: lib/http.ts).

import { MAX_MESSAGE_CHARS } from '@/lib/chat/limits';
import type { AppError } from '@/lib/errors';

/** Beyond this a conversation is slow to load and no model's window holds it: start a new chat. */
export const MAX_CONVERSATION_MESSAGES = 1_000;

/** `message_too_long` when a text part of a chat request's new message is over the limit (before zod's generic 400). */
export function messageTooLong(body: unknown): AppError | null {
  const parts = (body as { message?: { parts?: unknown } } | null)?.message?.parts;
  if (!Array.isArray(parts)) return null;
  const over = parts.some((p) => typeof (p as { text?: unknown })?.text === 'string' && (p as { text: string }).text.length > MAX_MESSAGE_CHARS);
  return over ? { code: 'message_too_long', params: { max: MAX_MESSAGE_CHARS }, retryable: false } : null;
}

/** `conversation_too_long` when adding one more message would pass the limit. */
export function conversationTooLong(messageCount: number): AppError | null {
  return messageCount >= MAX_CONVERSATION_MESSAGES
    ? { code: 'conversation_too_long', params: { max: MAX_CONVERSATION_MESSAGES }, retryable: false }
    : null;
}

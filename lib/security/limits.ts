// Size limits with specific error codes: request bodies (checked while reading, before parsing), the
// length of one chat message, and the number of messages in one conversation.
import { type ApiErrorBody, type AppError } from '@/lib/errors';
import { MAX_MESSAGE_CHARS } from '@/lib/chat/types';

/** JSON API bodies: a chat turn is at most 20 parts of 100,000 characters; anything bigger is abuse. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** Beyond this a conversation is slow to load and no model's window holds it: start a new chat. */
export const MAX_CONVERSATION_MESSAGES = 1_000;

function payloadTooLarge(maxBytes: number): Response {
  // Built here rather than with lib/http's errorJson, which may read bodies through this module.
  const body: ApiErrorBody = { error: { code: 'payload_too_large', params: { maxKb: Math.floor(maxBytes / 1024) }, retryable: false } };
  return Response.json(body, { status: 413, headers: { 'cache-control': 'no-store' } });
}

/**
 * The body as text, or a 413 once it passes `maxBytes`: refused up front from Content-Length when declared,
 * and counted while streaming otherwise (a chunked body declares nothing), so no more is ever buffered.
 */
export async function readBodyWithin(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string | Response> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) return payloadTooLarge(maxBytes);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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

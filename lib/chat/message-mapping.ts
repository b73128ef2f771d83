// Stored message rows ⇄ AI SDK UI messages, and UI messages → the text history sent to Kimi.
import type { ModelMessage } from 'ai';
import type { ChatUIMessage, MessageStatus } from '@/lib/chat/types';
import type { MessageDetails } from '@/lib/contracts';
import type { Message } from '@/lib/db/generated/client';
import type { AppError } from '@/lib/errors';

type StoredPart = ChatUIMessage['parts'][number];

export function toUIMessage(
  row: Pick<Message, 'id' | 'role' | 'parts' | 'status' | 'model' | 'error' | 'cutReason' | 'createdAt'>,
  details?: MessageDetails,
  /** The message's alternatives (itself included), when it has any. */
  siblings?: string[],
): ChatUIMessage {
  return {
    id: row.id,
    role: row.role,
    parts: (row.parts as unknown as StoredPart[]) ?? [],
    metadata: {
      status: row.status as MessageStatus,
      ...(row.model ? { model: row.model } : {}),
      ...(row.error ? { error: row.error as unknown as AppError } : {}),
      ...(row.cutReason === 'length' || row.cutReason === 'content_filter' ? { cutReason: row.cutReason } : {}),
      ...(details ? { details } : {}),
      ...(siblings ? { siblings } : {}),
      createdAt: row.createdAt.toISOString(),
    },
  };
}

/** The text of a message's text parts (reasoning is never sent back to the model), or of its reasoning parts. */
export function textOf(parts: readonly StoredPart[], type: 'text' | 'reasoning' = 'text'): string {
  let text = '';
  for (const part of parts) if (part.type === type) text += part.text;
  return text;
}

/** An attached image's part points at its authorised route: `/api/images/<id>`. */
const IMAGE_URL = /^\/api\/images\/([0-9a-f-]{36})$/i;

/** The image ids a message's parts refer to, in order. */
export function imageIdsOf(parts: readonly StoredPart[]): string[] {
  return parts.flatMap((p) => (p.type === 'file' ? (IMAGE_URL.exec(p.url)?.[1]?.toLowerCase() ?? []) : []));
}

/** Images by id, as the history sends them: bytes (data: URLs, made by the provider) or an `ms://` file URL. */
export type HistoryImages = ReadonlyMap<string, { data: Uint8Array | URL; mediaType: string }>;

/**
 * History for the model: user and assistant text; answers that produced no text (errors) are skipped. A user
 * message's images (found in `images`) follow its text as image parts.
 */
export function toModelHistory(
  rows: ReadonlyArray<{ role: 'user' | 'assistant'; parts: readonly StoredPart[] }>,
  images?: HistoryImages,
): ModelMessage[] {
  const history: ModelMessage[] = [];
  for (const row of rows) {
    const text = textOf(row.parts);
    if (row.role === 'assistant' && text.trim() === '') continue;
    const attached = row.role === 'user' && images ? imageIdsOf(row.parts).flatMap((id) => images.get(id) ?? []) : [];
    if (row.role === 'user' && attached.length > 0) {
      history.push({
        role: 'user',
        content: [{ type: 'text', text }, ...attached.map((image) => ({ type: 'file' as const, data: image.data, mediaType: image.mediaType }))],
      });
    } else {
      history.push({ role: row.role, content: text });
    }
  }
  return history;
}

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
      createdAt: row.createdAt.toISOString(),
    },
  };
}

/** The text of a message's text parts (reasoning is never sent back to the model). */
export function textOf(parts: readonly StoredPart[]): string {
  let text = '';
  for (const part of parts) if (part.type === 'text') text += part.text;
  return text;
}

/** History for the model: user and assistant text; answers that produced no text (errors) are skipped. */
export function toModelHistory(rows: ReadonlyArray<{ role: 'user' | 'assistant'; parts: readonly StoredPart[] }>): ModelMessage[] {
  const history: ModelMessage[] = [];
  for (const row of rows) {
    const text = textOf(row.parts);
    if (row.role === 'assistant' && text.trim() === '') continue;
    history.push({ role: row.role, content: text });
  }
  return history;
}

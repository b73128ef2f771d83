// What the gateway checks of a chat request before spending anything on it: as permissive as Kimi (fields
// it does not know are passed on untouched), strict only where Kimi would refuse anyway or where the
// ledger needs a value (the model, the messages, whether it streams).
import { z } from 'zod';
import type { CountableMessage } from '@/lib/kimi/tokenizer';

/** Images travel inline as data URLs (up to 4 × 20 MB in the app); Kimi's own body limit is higher still. */
export const MAX_GATEWAY_BODY_BYTES = 100 * 1024 * 1024;

const part = z.looseObject({ type: z.string().min(1) });
const message = z.looseObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(part), z.null()]).optional(),
});

export const chatCompletionSchema = z.looseObject({
  model: z.string().trim().min(1).max(200),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionSchema>;

export const estimateSchema = z.looseObject({
  model: z.string().trim().min(1).max(200),
  messages: z.array(message).min(1),
});

/** The messages as the tokenizer counts them (text parts; for an estimate only). */
export function countableMessages(body: ChatCompletionRequest): CountableMessage[] {
  return body.messages.map((m) => ({
    role: m.role,
    content: Array.isArray(m.content)
      ? m.content.map((p) => ({ type: p.type, text: typeof p.text === 'string' ? p.text : undefined }))
      : (m.content ?? null),
  }));
}

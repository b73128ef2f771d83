// Prompt token count before sending: Kimi's own tokenizer endpoint when a key is set, else (or when it
// fails) the local estimator. The endpoint answers are remembered, keyed by a hash of model + messages.
import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { config } from '@/lib/config';
import { kimiJson } from './http';
import { type CountableMessage, contentText, countMessageTokens } from './tokenizer';

export interface PromptEstimate {
  tokens: number;
  /** `kimi`: Kimi's tokenizer; `local`: our approximation. */
  source: 'kimi' | 'local';
}

const estimateSchema = z.object({ data: z.object({ total_tokens: z.number().int().nonnegative() }) });

/** Counting must not hold up a turn for long: past this, the local estimate is used. */
const TIMEOUT_MS = 1_500;
const LRU_SIZE = 500;
const lru = new Map<string, number>();

export async function estimatePromptTokens(messages: readonly CountableMessage[], modelId: string): Promise<PromptEstimate> {
  const local: PromptEstimate = { tokens: countMessageTokens(messages), source: 'local' };
  if (config().kimi.mode !== 'api') return local;

  const wire = messages.map((m) => ({ role: m.role, content: contentText(m.content) }));
  const key = createHash('sha256')
    .update(JSON.stringify([modelId, wire]))
    .digest('base64url');
  const known = lru.get(key);
  if (known !== undefined) {
    lru.delete(key); // re-insert: Map order is the recency order
    lru.set(key, known);
    return { tokens: known, source: 'kimi' };
  }
  try {
    const { data } = await kimiJson('/tokenizers/estimate-token-count', {
      method: 'POST',
      body: { model: modelId, messages: wire },
      schema: estimateSchema,
      timeoutMs: TIMEOUT_MS,
    });
    lru.set(key, data.total_tokens);
    if (lru.size > LRU_SIZE) lru.delete(lru.keys().next().value as string);
    return { tokens: data.total_tokens, source: 'kimi' };
  } catch {
    return local;
  }
}

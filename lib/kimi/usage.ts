// Token counts for the usage ledger, exactly as Kimi reported them, or our estimate when it reported none.
//
// Where they come from (ai 6.0.325 + @ai-sdk/moonshotai 2.0.61): the provider keeps the stream's
// top-level `usage` if a chunk carried one (the trailing `{"choices":[],"usage"}` variant), else the
// last `choices[0].usage` — it replaces, never adds, so both shapes count once. It maps
// `prompt_tokens` → inputTokens, `cached_tokens ?? prompt_tokens_details.cached_tokens` →
// inputTokenDetails.cacheReadTokens, `completion_tokens` → outputTokens (reasoning included) and
// `completion_tokens_details.reasoning_tokens` → outputTokenDetails.reasoningTokens; the untouched
// object is `usage.raw`. When no chunk carried usage, every field is undefined.
import type { LanguageModelUsage } from 'ai';
import { z } from 'zod';
import { type CountableMessage, countMessageTokens, countTokens } from './tokenizer';

export interface UsageCounts {
  promptTokens: number;
  cachedTokens: number;
  /** Includes reasoningTokens: Kimi counts reasoning inside completion_tokens. */
  completionTokens: number;
  reasoningTokens: number;
  /** false: Kimi reported nothing (stopped or dropped mid-stream) and these are local estimates. */
  reported: boolean;
}

export interface UsageInput {
  /** `totalUsage` from onFinish / the result (or `steps` summed), or undefined when the call never finished. */
  usage: LanguageModelUsage | undefined;
  /** The messages sent, for the estimate. */
  prompt: readonly CountableMessage[];
  /** Answer and reasoning text produced so far, for the estimate. */
  text?: string;
  reasoning?: string;
}

export function usageFromResult({ usage, prompt, text = '', reasoning = '' }: UsageInput): UsageCounts {
  if (usage?.inputTokens != null && usage.outputTokens != null) {
    return {
      promptTokens: usage.inputTokens,
      cachedTokens: usage.inputTokenDetails.cacheReadTokens ?? 0,
      completionTokens: usage.outputTokens,
      reasoningTokens: usage.outputTokenDetails.reasoningTokens ?? 0,
      reported: true,
    };
  }
  const reasoningTokens = countTokens(reasoning);
  return {
    promptTokens: countMessageTokens(prompt),
    cachedTokens: 0,
    completionTokens: countTokens(text) + reasoningTokens,
    reasoningTokens,
    reported: false,
  };
}

const count = z.number().int().nonnegative();
/** Kimi's usage object as it is on the wire (inside the choice, in a trailing chunk, or in a whole response). */
const kimiUsageSchema = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  cached_tokens: count.nullish(),
  prompt_tokens_details: z.object({ cached_tokens: count.nullish() }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: count.nullish() }).nullish(),
});

/**
 * Kimi's raw usage object in the AI SDK's shape (read as the provider reads it: `cached_tokens` at the root,
 * else in `prompt_tokens_details`), or undefined when it is not one. Reasoning is clamped to the completion
 * tokens (one recorded K3 response reports one more).
 */
export function languageModelUsageOf(raw: unknown): LanguageModelUsage | undefined {
  const parsed = kimiUsageSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  const cached = u.cached_tokens ?? u.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = Math.min(u.completion_tokens_details?.reasoning_tokens ?? 0, u.completion_tokens);
  return {
    inputTokens: u.prompt_tokens,
    inputTokenDetails: { noCacheTokens: u.prompt_tokens - cached, cacheReadTokens: cached, cacheWriteTokens: undefined },
    outputTokens: u.completion_tokens,
    outputTokenDetails: { textTokens: u.completion_tokens - reasoning, reasoningTokens: reasoning },
    totalTokens: u.prompt_tokens + u.completion_tokens,
  };
}

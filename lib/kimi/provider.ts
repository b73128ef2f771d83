// The AI SDK model for a Kimi model id, talking to Kimi or the simulator per config().
import 'server-only';
import { createMoonshotAI, type MoonshotAIProvider } from '@ai-sdk/moonshotai';
import type { LanguageModel } from 'ai';
import { config } from '@/lib/config';
import { kimiConnection } from './connection';
import { MAX_RETRY_DELAY_MS } from './errors';
import { retryingFetch } from './retrying-fetch';
import { webSearchFetch } from './web-search';

// One provider per (baseURL, key): settings change only when the start script swaps in the simulator.
let memo: { baseURL: string; apiKey: string; provider: MoonshotAIProvider } | undefined;

export function kimiModel(modelId: string): LanguageModel {
  const { baseURL, apiKey } = kimiConnection();
  if (memo?.baseURL !== baseURL || memo.apiKey !== apiKey) {
    const fetch = webSearchFetch(retryingFetch({ maxRetries: config().kimi.maxRetries, maxWaitMs: MAX_RETRY_DELAY_MS }));
    memo = { baseURL, apiKey, provider: createMoonshotAI({ baseURL, apiKey, fetch }) };
  }
  return memo.provider(modelId);
}

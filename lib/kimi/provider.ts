// The AI SDK model for a Kimi model id, talking to Kimi or the simulator per config().
import 'server-only';
import { createMoonshotAI, type MoonshotAIProvider } from '@ai-sdk/moonshotai';
import type { LanguageModel } from 'ai';
import { kimiConnection } from './connection';

// One provider per (baseURL, key): settings change only when the start script swaps in the simulator.
let memo: { baseURL: string; apiKey: string; provider: MoonshotAIProvider } | undefined;

export function kimiModel(modelId: string): LanguageModel {
  const { baseURL, apiKey } = kimiConnection();
  if (memo?.baseURL !== baseURL || memo.apiKey !== apiKey) {
    memo = { baseURL, apiKey, provider: createMoonshotAI({ baseURL, apiKey }) };
  }
  return memo.provider(modelId);
}

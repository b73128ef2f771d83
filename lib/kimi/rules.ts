// What may be sent to a model: Kimi answers 400 to a temperature on models that pin it.
import type { MoonshotAILanguageModelOptions } from '@ai-sdk/moonshotai';
import type { ChatError, ConversationSettings } from '@/lib/chat/types';
import { findModel, type ModelInfo } from './catalog';

export interface CallSettings {
  /** Absent: Kimi applies the model's own default (or its pinned value). */
  temperature?: number;
  maxOutputTokens: number;
  providerOptions?: { moonshotai: MoonshotAILanguageModelOptions };
}

export interface CallOptions {
  maxOutputTokens?: number;
  /** Only for `thinking: 'optional'` models; undefined leaves Kimi's default (thinking on). */
  thinking?: boolean;
}

export function callSettings(model: ModelInfo, settings: ConversationSettings, opts: CallOptions = {}): CallSettings {
  const result: CallSettings = { maxOutputTokens: opts.maxOutputTokens ?? model.defaultMaxTokens };
  if (model.temperature.kind === 'range' && settings.temperature !== null) result.temperature = settings.temperature;
  if (model.thinking === 'optional' && opts.thinking !== undefined) {
    result.providerOptions = { moonshotai: { thinking: { type: opts.thinking ? 'enabled' : 'disabled' } } };
  }
  return result;
}

/** null when the settings can be sent as they are. A temperature for a pinned model is ignored, not an error. */
export function validateSettings(
  settings: ConversationSettings,
  lookup: (id: string) => ModelInfo | undefined = findModel,
): ChatError | null {
  const model = lookup(settings.model);
  if (!model) return { code: 'model_not_found', params: { model: settings.model }, retryable: false };
  const rule = model.temperature;
  if (rule.kind === 'range' && settings.temperature !== null && (settings.temperature < rule.min || settings.temperature > rule.max)) {
    return {
      code: 'invalid_temperature',
      params: { model: model.id, value: settings.temperature, min: rule.min, max: rule.max },
      retryable: false,
    };
  }
  return null;
}

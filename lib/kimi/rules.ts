// What may be sent to a model. Kimi answers 400 to a temperature on models that pin it, to `thinking`
// disabled on always-thinking models, and to `thinking` together with `reasoning_effort`; so the app
// sends a temperature only where it is free, `thinking` only to optional-thinking models (K2.6) and
// `reasoning_effort` only to models that list efforts (K3).
import type { MoonshotAILanguageModelOptions } from '@ai-sdk/moonshotai';
import type { ReasoningEffort } from '@/lib/contracts';
import type { AppError } from '@/lib/errors';
import type { ModelInfo } from './catalog';

export interface CallSettings {
  /** Absent: Kimi applies the model's own (or pinned) value. */
  temperature?: number;
  maxOutputTokens: number;
  providerOptions?: { moonshotai: MoonshotAILanguageModelOptions };
}

/** What a conversation chose about sampling and reasoning (lib/chat/types' settings satisfy it). */
export interface ReasoningSettings {
  temperature: number | null;
  thinking: boolean;
  reasoningEffort: ReasoningEffort | null;
}

export function callSettings(model: ModelInfo, settings: ReasoningSettings, maxOutputTokens: number): CallSettings {
  const result: CallSettings = { maxOutputTokens };
  if (model.temperature.kind === 'range' && settings.temperature !== null) result.temperature = settings.temperature;
  const moonshotai: MoonshotAILanguageModelOptions = {};
  if (model.thinking === 'optional') moonshotai.thinking = { type: settings.thinking ? 'enabled' : 'disabled' };
  else if (settings.reasoningEffort && model.reasoningEfforts?.includes(settings.reasoningEffort))
    moonshotai.reasoningEffort = settings.reasoningEffort;
  if (Object.keys(moonshotai).length > 0) result.providerOptions = { moonshotai };
  return result;
}

/** null when the model's settings are acceptable. A temperature for a pinned model is ignored, not an error. */
export function validateTemperature(model: ModelInfo, settings: ReasoningSettings): AppError | null {
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

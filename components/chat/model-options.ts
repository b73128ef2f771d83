// The model picker's view of a model (the same shape as lib/kimi/models.ts's ModelOption).
import { createContext } from 'react';
import type { Currency, TemperatureRule } from '@/lib/kimi/catalog';

export interface ModelOption {
  id: string;
  label: string;
  contextWindow: number;
  thinking: 'never' | 'always' | 'optional';
  temperature: TemperatureRule;
  priceHint: { currency: Currency; input: number; output: number } | null;
}

/** The temperature actually used when the user sets none, for the settings dialog's hint. */
export function defaultTemperature(rule: TemperatureRule): number {
  return rule.kind === 'fixed' ? rule.value : rule.default;
}

/** Model id → label, for error messages deep in the thread. */
export const ModelLabelContext = createContext<(id: string) => string>((id) => id);

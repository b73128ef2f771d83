// The one table of Kimi models: ids, context windows, sampling rules and seed prices.
// Prices here only seed the database price table (admins edit them there); nothing else should
// hard-code a model fact. Sources: ../shared/kimi-api.md (late 2026). `null` = not published.

export type Currency = 'CNY' | 'USD';

/** Per-million-token rates. `cacheHit: null` means the model has no cache discount (bill as input). */
export interface Rates {
  cacheHit: number | null;
  input: number;
  output: number;
}

export type TemperatureRule =
  /** Any value in [min, max]; `default` is what Kimi uses when none is sent. */
  | { kind: 'range'; min: number; max: number; default: number }
  /** Kimi rejects any other value with a 400; the app must not send one. */
  | { kind: 'fixed'; value: number; valueWithoutThinking?: number };

export interface ModelInfo {
  id: string;
  label: string;
  /** Prompt + max output tokens must fit in this many tokens. */
  contextWindow: number;
  /** `always`: streams reasoning_content; `optional`: on by default, `thinking: {type:'disabled'}` turns it off. */
  thinking: 'never' | 'always' | 'optional';
  temperature: TemperatureRule;
  /** Output tokens reserved for the answer when the user sets nothing. */
  defaultMaxTokens: number;
  /** moonshot-v1-auto: routes to the smallest moonshot-v1 window that fits. */
  routes?: readonly string[];
  vision?: boolean;
  /** Shown in the picker by default. */
  listed: boolean;
  prices: Record<Currency, Rates | null>;
}

const V1_TEMPERATURE: TemperatureRule = { kind: 'range', min: 0, max: 1, default: 0 };
const K2_TEMPERATURE: TemperatureRule = { kind: 'range', min: 0, max: 1, default: 0.6 };

export const MODELS: readonly ModelInfo[] = [
  {
    id: 'moonshot-v1-auto',
    label: 'Moonshot v1 Auto',
    contextWindow: 131_072,
    thinking: 'never',
    temperature: V1_TEMPERATURE,
    defaultMaxTokens: 1024,
    routes: ['moonshot-v1-8k', 'moonshot-v1-32k', 'moonshot-v1-128k'],
    listed: true,
    prices: { CNY: null, USD: null }, // billed as the model it routes to
  },
  {
    id: 'moonshot-v1-8k',
    label: 'Moonshot v1 8K',
    contextWindow: 8_192,
    thinking: 'never',
    temperature: V1_TEMPERATURE,
    defaultMaxTokens: 1024,
    listed: true,
    prices: { CNY: { cacheHit: null, input: 2, output: 10 }, USD: { cacheHit: null, input: 0.2, output: 2 } },
  },
  {
    id: 'moonshot-v1-32k',
    label: 'Moonshot v1 32K',
    contextWindow: 32_768,
    thinking: 'never',
    temperature: V1_TEMPERATURE,
    defaultMaxTokens: 1024,
    listed: true,
    prices: { CNY: { cacheHit: null, input: 5, output: 20 }, USD: { cacheHit: null, input: 1, output: 3 } },
  },
  {
    id: 'moonshot-v1-128k',
    label: 'Moonshot v1 128K',
    contextWindow: 131_072,
    thinking: 'never',
    temperature: V1_TEMPERATURE,
    defaultMaxTokens: 1024,
    listed: true,
    prices: { CNY: { cacheHit: null, input: 10, output: 30 }, USD: { cacheHit: null, input: 2, output: 5 } },
  },
  {
    id: 'kimi-k2.6',
    label: 'Kimi K2.6',
    contextWindow: 262_144,
    thinking: 'optional',
    temperature: { kind: 'fixed', value: 1, valueWithoutThinking: 0.6 },
    defaultMaxTokens: 4096,
    listed: true,
    prices: { CNY: { cacheHit: 1.1, input: 6.5, output: 27 }, USD: null },
  },
  {
    id: 'kimi-k2.5',
    label: 'Kimi K2.5',
    contextWindow: 262_144,
    thinking: 'optional',
    temperature: { kind: 'fixed', value: 1, valueWithoutThinking: 0.6 },
    defaultMaxTokens: 4096,
    listed: true,
    prices: { CNY: { cacheHit: 0.7, input: 4, output: 21 }, USD: { cacheHit: 0.1, input: 0.6, output: 3 } },
  },
  {
    id: 'kimi-k2-thinking',
    label: 'Kimi K2 Thinking',
    contextWindow: 262_144,
    thinking: 'always',
    temperature: { kind: 'range', min: 0, max: 1, default: 1 },
    defaultMaxTokens: 4096,
    listed: true,
    prices: { CNY: { cacheHit: 1, input: 4, output: 16 }, USD: { cacheHit: 0.15, input: 0.6, output: 2.5 } },
  },
  {
    id: 'kimi-k2-turbo-preview',
    label: 'Kimi K2 Turbo',
    contextWindow: 262_144,
    thinking: 'never',
    temperature: K2_TEMPERATURE,
    defaultMaxTokens: 4096,
    listed: true,
    prices: { CNY: { cacheHit: 4, input: 16, output: 64 }, USD: { cacheHit: 0.15, input: 1.15, output: 8 } },
  },
  {
    id: 'kimi-k2-0905-preview',
    label: 'Kimi K2 (0905)',
    contextWindow: 262_144,
    thinking: 'never',
    temperature: K2_TEMPERATURE,
    defaultMaxTokens: 4096,
    listed: true,
    prices: { CNY: { cacheHit: 1, input: 4, output: 16 }, USD: { cacheHit: 0.15, input: 0.6, output: 2.5 } },
  },
  {
    id: 'kimi-latest',
    label: 'Kimi Latest',
    contextWindow: 131_072,
    thinking: 'never',
    temperature: { kind: 'range', min: 0, max: 1, default: 0.3 },
    defaultMaxTokens: 2048,
    vision: true,
    listed: false,
    prices: { CNY: { cacheHit: 1, input: 10, output: 30 }, USD: null },
  },
];

const BY_ID = new Map(MODELS.map((m) => [m.id, m]));

export const DEFAULT_MODEL_ID = 'moonshot-v1-auto';

export function findModel(id: string): ModelInfo | undefined {
  return BY_ID.get(id);
}

export function getModel(id: string): ModelInfo {
  const model = BY_ID.get(id);
  if (!model) throw new Error(`Unknown model: ${id}`);
  return model;
}

/**
 * moonshot-v1-auto's rule: the smallest moonshot-v1 window holding prompt + max output.
 * Returns undefined when nothing fits.
 */
export function routeAuto(promptTokens: number, maxTokens: number, candidates = getModel('moonshot-v1-auto').routes ?? []): string | undefined {
  const needed = promptTokens + maxTokens;
  return candidates.map(getModel).find((m) => needed <= m.contextWindow)?.id;
}

// The one table of Kimi models: ids, context windows, thinking and sampling rules, answer budgets and seed
// prices. Prices here only seed the database price table (admins edit them there); nothing else should
// hard-code a model fact. Source: ../shared/kimi-api.md (December 2026).
//
// Two generations: the models Kimi serves today, and the ones it retired during 2026 (they answer 404).
// Retired models stay known — old conversations, the ledger's history and endpoints that still serve them —
// but are offered only when the configured endpoint lists them (lib/kimi/models.ts).

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
  /** Kimi rejects any other value with a 400; the app never sends one (Kimi applies it itself). */
  | { kind: 'fixed'; value: number; valueWithoutThinking?: number };

export const REASONING_EFFORTS = ['low', 'high', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** `general` models are Auto's candidates; `code` models answer only when chosen. */
export type ModelPurpose = 'general' | 'code';

export interface ModelInfo {
  id: string;
  label: string;
  /** Prompt + answer budget must fit in this many tokens. */
  contextWindow: number;
  /** `always`: streams reasoning_content; `optional`: on by default, `thinking: {type:'disabled'}` turns it off. */
  thinking: 'never' | 'always' | 'optional';
  /** Accepted `reasoning_effort` values (K3); absent: the field must not be sent. */
  reasoningEfforts?: readonly ReasoningEffort[];
  temperature: TemperatureRule;
  /** The answer budget (reasoning included) Kimi uses when none is sent; the app reserves this much. */
  defaultMaxTokens: number;
  purpose: ModelPurpose;
  /** Accepts image parts. */
  vision: boolean;
  /** When Kimi retired it (ISO date); retired models answer 404 on today's API. */
  retired?: string;
  /** moonshot-v1-auto: routes to the smallest moonshot-v1 window that fits. */
  routes?: readonly string[];
  prices: Record<Currency, Rates | null>;
  /** Seed prices no primary source confirms: admins are asked to check them on /admin/prices. */
  unconfirmedPrices?: readonly Currency[];
}

/** Kimi's own default answer budgets (kimi-api.md): reasoning counts against them. */
const K2_DEFAULT_MAX_TOKENS = 32_768;
const K3_DEFAULT_MAX_TOKENS = 131_072;

/** Sampling is pinned on today's models: temperature is never sent (Kimi applies its own). */
const PINNED: TemperatureRule = { kind: 'fixed', value: 1 };

export const CURRENT_MODELS: readonly ModelInfo[] = [
  {
    id: 'kimi-k2.6',
    label: 'Kimi K2.6',
    contextWindow: 262_144,
    thinking: 'optional',
    temperature: { kind: 'fixed', value: 1, valueWithoutThinking: 0.6 },
    defaultMaxTokens: K2_DEFAULT_MAX_TOKENS,
    purpose: 'general',
    vision: true,
    prices: { CNY: { cacheHit: 1.1, input: 6.5, output: 27 }, USD: { cacheHit: 0.16, input: 0.95, output: 4 } },
  },
  {
    id: 'kimi-k3',
    label: 'Kimi K3',
    contextWindow: 1_048_576,
    thinking: 'always',
    reasoningEfforts: REASONING_EFFORTS,
    temperature: PINNED,
    defaultMaxTokens: K3_DEFAULT_MAX_TOKENS,
    purpose: 'general',
    vision: true,
    prices: { CNY: { cacheHit: 2, input: 20, output: 100 }, USD: { cacheHit: 0.3, input: 3, output: 15 } },
    unconfirmedPrices: ['CNY'],
  },
  {
    id: 'kimi-k2.7-code',
    label: 'Kimi K2.7 Code',
    contextWindow: 262_144,
    thinking: 'always',
    temperature: PINNED,
    defaultMaxTokens: K2_DEFAULT_MAX_TOKENS,
    purpose: 'code',
    vision: true,
    prices: { CNY: { cacheHit: 1.3, input: 6.5, output: 27 }, USD: { cacheHit: 0.19, input: 0.95, output: 4 } },
  },
  {
    id: 'kimi-k2.7-code-highspeed',
    label: 'Kimi K2.7 Code Highspeed',
    contextWindow: 262_144,
    thinking: 'always',
    temperature: PINNED,
    defaultMaxTokens: K2_DEFAULT_MAX_TOKENS,
    purpose: 'code',
    vision: true,
    prices: { CNY: { cacheHit: 2.6, input: 13, output: 54 }, USD: { cacheHit: 0.38, input: 1.9, output: 8 } },
    unconfirmedPrices: ['CNY'],
  },
];

const V1_TEMPERATURE: TemperatureRule = { kind: 'range', min: 0, max: 1, default: 0 };
const K2_TEMPERATURE: TemperatureRule = { kind: 'range', min: 0, max: 1, default: 0.6 };
const V1_RETIRED = '2026-08-31';
const K2_PREVIEW_RETIRED = '2026-05-25';

function moonshotV1(size: '8k' | '32k' | '128k', window: number, cny: Rates, usd: Rates): ModelInfo {
  return {
    id: `moonshot-v1-${size}`,
    label: `Moonshot v1 ${size.toUpperCase()}`,
    contextWindow: window,
    thinking: 'never',
    temperature: V1_TEMPERATURE,
    defaultMaxTokens: 1024,
    purpose: 'general',
    vision: false,
    retired: V1_RETIRED,
    prices: { CNY: cny, USD: usd },
  };
}

function visionPreview(base: ModelInfo): ModelInfo {
  return { ...base, id: `${base.id}-vision-preview`, label: `${base.label} Vision`, vision: true };
}

const V1_8K = moonshotV1('8k', 8_192, { cacheHit: null, input: 2, output: 10 }, { cacheHit: null, input: 0.2, output: 2 });
const V1_32K = moonshotV1('32k', 32_768, { cacheHit: null, input: 5, output: 20 }, { cacheHit: null, input: 1, output: 3 });
const V1_128K = moonshotV1('128k', 131_072, { cacheHit: null, input: 10, output: 30 }, { cacheHit: null, input: 2, output: 5 });

function k2Retired(id: string, label: string, extra: Partial<ModelInfo>): ModelInfo {
  return {
    id,
    label,
    contextWindow: 262_144,
    thinking: 'never',
    temperature: K2_TEMPERATURE,
    defaultMaxTokens: 4096,
    purpose: 'general',
    vision: false,
    retired: K2_PREVIEW_RETIRED,
    prices: { CNY: { cacheHit: 1, input: 4, output: 16 }, USD: { cacheHit: 0.15, input: 0.6, output: 2.5 } },
    ...extra,
  };
}

/** Retired in 2026 (kimi-api.md §3): known for history and for endpoints that still serve them. */
export const RETIRED_MODELS: readonly ModelInfo[] = [
  {
    id: 'moonshot-v1-auto',
    label: 'Moonshot v1 Auto',
    contextWindow: 131_072,
    thinking: 'never',
    temperature: V1_TEMPERATURE,
    defaultMaxTokens: 1024,
    purpose: 'general',
    vision: false,
    retired: V1_RETIRED,
    routes: [V1_8K.id, V1_32K.id, V1_128K.id],
    prices: { CNY: null, USD: null }, // billed as the model it routes to
  },
  V1_8K,
  V1_32K,
  V1_128K,
  visionPreview(V1_8K),
  visionPreview(V1_32K),
  visionPreview(V1_128K),
  {
    id: 'kimi-k2.5',
    label: 'Kimi K2.5',
    contextWindow: 262_144,
    thinking: 'optional',
    temperature: { kind: 'fixed', value: 1, valueWithoutThinking: 0.6 },
    defaultMaxTokens: K2_DEFAULT_MAX_TOKENS,
    purpose: 'general',
    vision: true,
    retired: V1_RETIRED,
    prices: { CNY: { cacheHit: 0.7, input: 4, output: 21 }, USD: { cacheHit: 0.1, input: 0.6, output: 3 } },
  },
  {
    id: 'kimi-latest',
    label: 'Kimi Latest',
    contextWindow: 131_072,
    thinking: 'never',
    temperature: { kind: 'range', min: 0, max: 1, default: 0.3 },
    defaultMaxTokens: 2048,
    purpose: 'general',
    vision: true,
    retired: '2026-01-28',
    prices: { CNY: { cacheHit: 1, input: 10, output: 30 }, USD: null },
  },
  k2Retired('kimi-k2-thinking', 'Kimi K2 Thinking', { thinking: 'always', temperature: { kind: 'range', min: 0, max: 1, default: 1 } }),
  k2Retired('kimi-k2-thinking-turbo', 'Kimi K2 Thinking Turbo', {
    thinking: 'always',
    temperature: { kind: 'range', min: 0, max: 1, default: 1 },
    prices: { CNY: { cacheHit: 4, input: 16, output: 64 }, USD: { cacheHit: 0.15, input: 1.15, output: 8 } },
  }),
  k2Retired('kimi-k2-turbo-preview', 'Kimi K2 Turbo', {
    prices: { CNY: { cacheHit: 4, input: 16, output: 64 }, USD: { cacheHit: 0.15, input: 1.15, output: 8 } },
  }),
  k2Retired('kimi-k2-0905-preview', 'Kimi K2 (0905)', {}),
  k2Retired('kimi-k2-0711-preview', 'Kimi K2 (0711)', { contextWindow: 131_072 }),
];

export const MODELS: readonly ModelInfo[] = [...CURRENT_MODELS, ...RETIRED_MODELS];

const BY_ID = new Map(MODELS.map((m) => [m.id, m]));

/** The app's own Auto: per turn, the cheapest live general-purpose model whose window fits (lib/kimi/auto.ts). */
export const AUTO_MODEL_ID = 'auto';

/** The instance default when `KIMI_DEFAULT_MODEL` and the admin setting say nothing. */
export const DEFAULT_MODEL_ID = AUTO_MODEL_ID;

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

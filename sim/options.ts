// Simulator options: one place for defaults, so the CLI help, README and library agree.
import type { Currency } from '../lib/kimi/catalog';
import { CATALOG_MODES, type CatalogMode } from './models';
import { WEB_SEARCH_THINKING, type WebSearchThinking } from './web-search';

/** Where streamed usage goes: `model` = each model's recorded shape (K3: choice+trailing; others: choice). */
export type UsageShape = 'model' | 'choice' | 'choice+trailing';

export const USAGE_SHAPES: readonly UsageShape[] = ['model', 'choice', 'choice+trailing'];

export interface RateLimit {
  concurrency: number;
  rpm: number;
}

/** Kimi's tiers by cumulative top-up. Tiers 0, 1 and 5 are in kimi-api.md; 2–4 are from Moonshot's docs (unconfirmed). */
export const TIERS: readonly RateLimit[] = [
  { concurrency: 1, rpm: 3 },
  { concurrency: 50, rpm: 200 },
  { concurrency: 100, rpm: 500 },
  { concurrency: 200, rpm: 5_000 },
  { concurrency: 400, rpm: 5_000 },
  { concurrency: 1_000, rpm: 10_000 },
];

export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; 0 = any free port. Default 0. */
  port?: number;
  host?: string;
  /** Accepted API keys; default: any non-empty key. */
  apiKeys?: string[];
  /** Organisation named in 429 messages. */
  org?: string;
  /** Delay before the first token (streaming) in ms. Default 0. */
  ttftMs?: number;
  /** Token pace; 0 = as fast as possible (no timers). Default 0. */
  tokensPerSecond?: number;
  /** Tokens per streamed content chunk (1–3 is what Kimi sends). Default 2. */
  chunkTokens?: number;
  /** Which models and rules: `current` (today's API) or `legacy` (the 2025 catalog). Default `current`. */
  catalog?: CatalogMode;
  /**
   * `choice`: usage only inside the finishing choice; `choice+trailing`: plus a `{"choices":[],"usage"}` chunk;
   * `model`: as recorded per model (kimi-k3 in current mode: choice+trailing; everything else: choice). Default `model`.
   */
  usageShape?: UsageShape;
  /** Rate limits: a tier number (0–5) or explicit limits. Default: unlimited. */
  tier?: number | RateLimit;
  /** Fault spec applied to every chat request (grammar in sim/faults.ts). */
  faults?: string;
  /** Drop `context_length` from GET /v1/models, as some deployments do. */
  omitContextLength?: boolean;
  /** Starting available balance. Default 50. */
  balance?: number;
  /** Part of `balance` that is voucher (spent first). Default 40. */
  voucher?: number;
  currency?: Currency;
  /** Request log ring size. Default 500. */
  logSize?: number;
  maxFileBytes?: number;
  maxFiles?: number;
  maxTotalFileBytes?: number;
  /** Context-cache memory: how long a prefix is remembered, and how many prefixes at most. */
  cacheTtlMs?: number;
  cacheEntries?: number;
  /** `$web_search` while thinking: `refuse` (400, as Moonshot's guide says to disable thinking) or `accept`. Default `refuse`. */
  webSearchThinking?: WebSearchThinking;
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'apiKeys' | 'tier' | 'faults'>> & {
  apiKeys: string[] | undefined;
  limits: RateLimit | undefined;
  faults: string | undefined;
};

export const MB = 1024 * 1024;

export const DEFAULTS = {
  port: 0,
  catalog: 'current',
  host: '127.0.0.1',
  org: 'org-simulator',
  ttftMs: 0,
  tokensPerSecond: 0,
  chunkTokens: 2,
  usageShape: 'model',
  omitContextLength: false,
  balance: 50,
  voucher: 40,
  currency: 'CNY',
  logSize: 500,
  maxFileBytes: 100 * MB,
  maxFiles: 1_000,
  maxTotalFileBytes: 10 * 1024 * MB,
  cacheTtlMs: 10 * 60_000,
  cacheEntries: 1_000,
  webSearchThinking: 'refuse',
} as const satisfies Partial<SimulatorOptions>;

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const tier = options.tier;
  let limits: RateLimit | undefined;
  if (typeof tier === 'number') {
    limits = TIERS[tier];
    if (!limits) throw new Error(`Unknown tier ${tier}: use 0–5 or {concurrency, rpm}`);
  } else {
    limits = tier;
  }
  if (options.catalog !== undefined && !CATALOG_MODES.includes(options.catalog)) {
    throw new Error(`Unknown catalog ${String(options.catalog)}: use ${CATALOG_MODES.join(' or ')}`);
  }
  if (options.webSearchThinking !== undefined && !WEB_SEARCH_THINKING.includes(options.webSearchThinking)) {
    throw new Error(`Unknown webSearchThinking ${String(options.webSearchThinking)}: use ${WEB_SEARCH_THINKING.join(' or ')}`);
  }
  if (options.usageShape !== undefined && !USAGE_SHAPES.includes(options.usageShape)) {
    throw new Error(`Unknown usageShape ${String(options.usageShape)}: use ${USAGE_SHAPES.join(', ')}`);
  }
  const chunkTokens = Math.max(1, Math.floor(options.chunkTokens ?? DEFAULTS.chunkTokens));
  return {
    port: options.port ?? DEFAULTS.port,
    catalog: options.catalog ?? DEFAULTS.catalog,
    host: options.host ?? DEFAULTS.host,
    org: options.org ?? DEFAULTS.org,
    ttftMs: options.ttftMs ?? DEFAULTS.ttftMs,
    tokensPerSecond: options.tokensPerSecond ?? DEFAULTS.tokensPerSecond,
    chunkTokens,
    usageShape: options.usageShape ?? DEFAULTS.usageShape,
    omitContextLength: options.omitContextLength ?? DEFAULTS.omitContextLength,
    balance: options.balance ?? DEFAULTS.balance,
    voucher: Math.min(options.voucher ?? DEFAULTS.voucher, options.balance ?? DEFAULTS.balance),
    currency: options.currency ?? DEFAULTS.currency,
    logSize: options.logSize ?? DEFAULTS.logSize,
    maxFileBytes: options.maxFileBytes ?? DEFAULTS.maxFileBytes,
    maxFiles: options.maxFiles ?? DEFAULTS.maxFiles,
    maxTotalFileBytes: options.maxTotalFileBytes ?? DEFAULTS.maxTotalFileBytes,
    cacheTtlMs: options.cacheTtlMs ?? DEFAULTS.cacheTtlMs,
    cacheEntries: options.cacheEntries ?? DEFAULTS.cacheEntries,
    webSearchThinking: options.webSearchThinking ?? DEFAULTS.webSearchThinking,
    apiKeys: options.apiKeys,
    limits,
    faults: options.faults,
  };
}

// The models this instance can offer: what the configured endpoint serves (GET /models, cached) that the
// app knows how to call, plus new kimi-* ids it lists; Auto on top when it has candidates; the instance
// default. Stale-while-revalidate: a page waits for Kimi at most once per process, ≤ 2 s.
// Retired models are offered only when the endpoint lists them; when the list cannot be had at all,
// today's catalog stands in.
import 'server-only';
import { z } from 'zod';
import type { ModelCatalogView, ModelOption } from '@/lib/contracts';
import { config } from '@/lib/config';
import { db, type PrismaClient } from '@/lib/db';
import { ratesAt } from '@/lib/usage/prices';
import { AUTO_MODEL_ID, CURRENT_MODELS, MODELS, findModel, type Currency, type ModelInfo } from './catalog';
import { autoCandidates } from './context';
import { kimiJson } from './http';

const apiListSchema = z.object({
  data: z.array(
    z.object({
      id: z.string().min(1).max(100),
      context_length: z.number().int().positive().nullish(),
      supports_reasoning: z.boolean().nullish(),
      supports_image_in: z.boolean().nullish(),
    }),
  ),
});

const apiModelSchema = z.object({
  id: z.string(),
  contextLength: z.number().int().positive().optional(),
  reasoning: z.boolean().optional(),
  images: z.boolean().optional(),
});
const snapshotSchema = z.object({ fetchedAt: z.number(), models: z.array(apiModelSchema) });
type Snapshot = z.infer<typeof snapshotSchema>;

export const MODELS_SETTING_KEY = 'kimi.models';
/** The admin's choice of instance default (overrides KIMI_DEFAULT_MODEL). */
export const DEFAULT_MODEL_SETTING_KEY = 'kimi.defaultModel';
const FRESH_MS = 10 * 60_000;
const TIMEOUT_MS = 2_000;
/** After a failed listing, serve what we have without asking again for this long. */
const RETRY_AFTER_FAILURE_MS = 30_000;
/** Unknown kimi-* models: Kimi's recent models reason at length; reserve as much as K2.6's default. */
const UNKNOWN_MAX_TOKENS = 32_768;

type Prisma = Pick<PrismaClient, 'setting' | 'price'>;
export interface ModelsStorage {
  /** Where the list is persisted, prices and the admin's default read; default the app database. */
  prisma?: () => Promise<Prisma>;
}

// On globalThis: Next.js bundles this module more than once (routes, pages), and they must share one list.
interface ModelsState {
  memory: Snapshot | undefined;
  loadedPersisted: boolean;
  refreshing: Promise<Snapshot | undefined> | undefined;
  failedAt: number;
}
const STATE_KEY = Symbol.for('kimi-chat.models');
const state = ((globalThis as Record<symbol, ModelsState | undefined>)[STATE_KEY] ??= {
  memory: undefined,
  loadedPersisted: false,
  refreshing: undefined,
  failedAt: -Infinity,
});

/** The models the endpoint serves that the app can call, in catalog order, then discovered ones. */
export async function servedModels({ prisma = db }: ModelsStorage = {}): Promise<ModelInfo[]> {
  return mergeWithCatalog((await currentSnapshot(prisma))?.models);
}

/** Auto's candidates among the served models, cheapest first. */
export function autoCandidatesOf(served: readonly ModelInfo[]): ModelInfo[] {
  return autoCandidates(served, config().kimi.currency);
}

/** The catalog's entry (current or retired), or one built for a kimi-* id only GET /models listed. */
export function lookupModel(id: string): ModelInfo | undefined {
  return findModel(id) ?? mergeWithCatalog(state.memory?.models).find((m) => m.id === id);
}

/** The instance default: the admin's choice, else KIMI_DEFAULT_MODEL, when served; else Auto (or the first model). */
export async function defaultModelId(served: readonly ModelInfo[], { prisma = db }: ModelsStorage = {}): Promise<string> {
  let chosen: string | undefined;
  try {
    const row = await (await prisma()).setting.findUnique({ where: { key: DEFAULT_MODEL_SETTING_KEY } });
    if (typeof row?.value === 'string') chosen = row.value;
  } catch {
    // No database: the environment's choice stands.
  }
  const hasAuto = autoCandidatesOf(served).length > 0;
  for (const id of [chosen, config().kimi.defaultModel]) {
    if (id === AUTO_MODEL_ID ? hasAuto : served.some((m) => m.id === id)) return id as string;
  }
  return hasAuto ? AUTO_MODEL_ID : (served[0]?.id ?? AUTO_MODEL_ID);
}

/** Sets the instance default (an admin's choice); false when it is neither Auto nor a served model. */
export async function setDefaultModel(id: string, { prisma = db }: ModelsStorage = {}): Promise<boolean> {
  const served = await servedModels({ prisma });
  const valid = id === AUTO_MODEL_ID ? autoCandidatesOf(served).length > 0 : served.some((m) => m.id === id);
  if (!valid) return false;
  await (await prisma()).setting.upsert({ where: { key: DEFAULT_MODEL_SETTING_KEY }, create: { key: DEFAULT_MODEL_SETTING_KEY, value: id }, update: { value: id } });
  return true;
}

/** The picker's entries and the instance default, for the browser. */
export async function modelCatalogView(storage: ModelsStorage = {}): Promise<ModelCatalogView> {
  const served = await servedModels(storage);
  const prisma = storage.prisma ?? db;
  const candidates = autoCandidatesOf(served);
  const options = await Promise.all(served.map((m) => modelOption(m, prisma)));
  const auto: ModelOption[] = candidates.length > 0 ? [autoOption(candidates)] : [];
  return { models: [...auto, ...options], defaultModel: await defaultModelId(served, storage) };
}

/** Forget everything cached (tests; a changed base URL). */
export function resetModelsCache(): void {
  state.memory = undefined;
  state.loadedPersisted = false;
  state.refreshing = undefined;
  state.failedAt = -Infinity;
}

async function currentSnapshot(prisma: () => Promise<Prisma>): Promise<Snapshot | undefined> {
  if (!state.loadedPersisted) {
    state.loadedPersisted = true;
    state.memory ??= await loadPersisted(prisma);
  }
  const now = Date.now();
  if (state.memory && now - state.memory.fetchedAt < FRESH_MS) return state.memory;
  if (now - state.failedAt < RETRY_AFTER_FAILURE_MS) return state.memory;
  state.refreshing ??= refresh(prisma).finally(() => {
    state.refreshing = undefined;
  });
  return state.memory ?? (await state.refreshing);
}

async function refresh(prisma: () => Promise<Prisma>): Promise<Snapshot | undefined> {
  try {
    const { data } = await kimiJson('/models', { schema: apiListSchema, timeoutMs: TIMEOUT_MS });
    const snapshot: Snapshot = {
      fetchedAt: Date.now(),
      models: data.map((m) => ({
        id: m.id,
        ...(m.context_length != null ? { contextLength: m.context_length } : {}),
        ...(m.supports_reasoning != null ? { reasoning: m.supports_reasoning } : {}),
        ...(m.supports_image_in != null ? { images: m.supports_image_in } : {}),
      })),
    };
    state.memory = snapshot;
    void persist(prisma, snapshot);
    return snapshot;
  } catch {
    state.failedAt = Date.now();
    return state.memory;
  }
}

async function loadPersisted(prisma: () => Promise<Prisma>): Promise<Snapshot | undefined> {
  try {
    const row = await (await prisma()).setting.findUnique({ where: { key: MODELS_SETTING_KEY } });
    const parsed = snapshotSchema.safeParse(row?.value);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // the list still works from the catalog
  }
}

async function persist(prisma: () => Promise<Prisma>, snapshot: Snapshot): Promise<void> {
  try {
    await (await prisma()).setting.upsert({ where: { key: MODELS_SETTING_KEY }, create: { key: MODELS_SETTING_KEY, value: snapshot }, update: { value: snapshot } });
  } catch {
    // Persisting only speeds up the next start; the in-memory list is what counts.
  }
}

function mergeWithCatalog(api: Snapshot['models'] | undefined): ModelInfo[] {
  if (!api) return [...CURRENT_MODELS];
  const known: ModelInfo[] = [];
  const discovered: ModelInfo[] = [];
  for (const entry of api) {
    const model = findModel(entry.id);
    if (model) known.push(entry.contextLength ? { ...model, contextWindow: entry.contextLength } : model);
    else if (entry.id.startsWith('kimi-') && entry.contextLength !== undefined) discovered.push(unknownModel(entry));
  }
  const rank = (m: ModelInfo) => MODELS.findIndex((c) => c.id === m.id);
  return [...known.sort((a, b) => rank(a) - rank(b)), ...discovered];
}

// A kimi-* id we have no entry for: recent Kimi models pin sampling (send none) and reason at length.
function unknownModel(entry: Snapshot['models'][number]): ModelInfo {
  const window = entry.contextLength ?? 0;
  return {
    id: entry.id,
    label: entry.id,
    contextWindow: window,
    thinking: entry.reasoning ? 'always' : 'never',
    temperature: { kind: 'fixed', value: 1 },
    defaultMaxTokens: Math.min(UNKNOWN_MAX_TOKENS, Math.floor(window / 2)),
    purpose: 'general',
    vision: entry.images ?? false,
    prices: { CNY: null, USD: null },
  };
}

function autoOption(candidates: readonly ModelInfo[]): ModelOption {
  return {
    id: AUTO_MODEL_ID,
    label: 'Auto',
    kind: 'auto',
    contextWindow: Math.max(...candidates.map((m) => m.contextWindow)),
    thinking: candidates.some((m) => m.thinking === 'optional') ? 'optional' : 'always',
    reasoningEfforts: [],
    fixedTemperature: true,
    defaultTemperature: 1,
    vision: candidates.every((m) => m.vision),
    priceHint: null,
    priceUnconfirmed: false,
    candidates: candidates.map((m) => m.id),
  };
}

async function modelOption(model: ModelInfo, prisma: () => Promise<Prisma>): Promise<ModelOption> {
  const { currency } = config().kimi;
  const rule = model.temperature;
  const known = findModel(model.id) !== undefined;
  const hint = model.routes ? null : await priceHint(model, currency, prisma);
  return {
    id: model.id,
    label: model.label,
    kind: known ? model.purpose : 'unknown',
    contextWindow: model.contextWindow,
    thinking: model.thinking,
    reasoningEfforts: model.reasoningEfforts ?? [],
    fixedTemperature: rule.kind === 'fixed',
    defaultTemperature: rule.kind === 'fixed' ? rule.value : rule.default,
    vision: model.vision,
    priceHint: hint?.rates ?? null,
    priceUnconfirmed: hint?.seeded === true && (model.unconfirmedPrices ?? []).includes(currency),
  };
}

async function priceHint(
  model: ModelInfo,
  currency: Currency,
  prisma: () => Promise<Prisma>,
): Promise<{ rates: NonNullable<ModelOption['priceHint']>; seeded: boolean } | null> {
  try {
    const rates = await ratesAt(await prisma(), model.id, currency);
    if (rates) {
      const cacheHit = rates.cacheHit === null ? null : Number(rates.cacheHit);
      // Still the seed row (effective from the epoch): an admin has not confirmed it.
      return { rates: { currency, cacheHit, input: Number(rates.input), output: Number(rates.output) }, seeded: rates.effectiveFrom.getTime() === 0 };
    }
  } catch {
    // No database: the catalog's seed prices are the best hint.
  }
  const seed = model.prices[currency];
  return seed ? { rates: { currency, cacheHit: seed.cacheHit, input: seed.input, output: seed.output }, seeded: true } : null;
}

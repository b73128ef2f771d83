// The model picker's list: the catalog's listed models, updated from GET /models (context windows,
// plus new kimi-* ids). Stale-while-revalidate: a page waits for Kimi at most once per process, ≤ 2 s.
import 'server-only';
import { z } from 'zod';
import { config } from '@/lib/config';
import { db, type PrismaClient } from '@/lib/db';
import { ratesAt } from '@/lib/usage/prices';
import { MODELS, findModel, type Currency, type ModelInfo, type TemperatureRule } from './catalog';
import { kimiJson } from './http';

/** Safe to send to the browser. */
export interface ModelOption {
  id: string;
  label: string;
  contextWindow: number;
  thinking: ModelInfo['thinking'];
  temperature: TemperatureRule;
  /** Per million tokens; null when unpriced (e.g. moonshot-v1-auto bills as the model it routes to). */
  priceHint: { currency: Currency; input: number; output: number } | null;
}

const apiListSchema = z.object({
  data: z.array(
    z.object({ id: z.string().min(1), context_length: z.number().int().positive().nullish(), supports_reasoning: z.boolean().nullish() }),
  ),
});

const apiModelSchema = z.object({ id: z.string(), contextLength: z.number().int().positive().optional(), reasoning: z.boolean().optional() });
const snapshotSchema = z.object({ fetchedAt: z.number(), models: z.array(apiModelSchema) });
type Snapshot = z.infer<typeof snapshotSchema>;

export const MODELS_SETTING_KEY = 'kimi.models';
const FRESH_MS = 10 * 60_000;
const TIMEOUT_MS = 2_000;
/** After a failed listing, serve what we have without asking again for this long. */
const RETRY_AFTER_FAILURE_MS = 30_000;

type Prisma = Pick<PrismaClient, 'setting' | 'price'>;
export interface ListModelsOptions {
  /** Where the list is persisted and prices read; default the app database. */
  prisma?: () => Promise<Prisma>;
}

let memory: Snapshot | undefined;
let loadedPersisted = false;
let refreshing: Promise<Snapshot | undefined> | undefined;
let failedAt = -Infinity;

export async function listModels({ prisma = db }: ListModelsOptions = {}): Promise<ModelOption[]> {
  const snapshot = await currentSnapshot(prisma);
  return Promise.all(mergeWithCatalog(snapshot?.models).map((model) => withPriceHint(model, prisma)));
}

/** The catalog's entry, or one built for a kimi-* model only GET /models knows (as last listed). */
export function lookupModel(id: string): ModelInfo | undefined {
  return findModel(id) ?? mergeWithCatalog(memory?.models).find((m) => m.id === id);
}

/** Forget everything cached (tests; a changed base URL). */
export function resetModelsCache(): void {
  memory = undefined;
  loadedPersisted = false;
  refreshing = undefined;
  failedAt = -Infinity;
}

async function currentSnapshot(prisma: () => Promise<Prisma>): Promise<Snapshot | undefined> {
  if (!loadedPersisted) {
    loadedPersisted = true;
    memory ??= await loadPersisted(prisma);
  }
  const now = Date.now();
  if (memory && now - memory.fetchedAt < FRESH_MS) return memory;
  if (now - failedAt < RETRY_AFTER_FAILURE_MS) return memory;
  refreshing ??= refresh(prisma).finally(() => {
    refreshing = undefined;
  });
  return memory ?? (await refreshing);
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
      })),
    };
    memory = snapshot;
    void persist(prisma, snapshot);
    return snapshot;
  } catch {
    failedAt = Date.now();
    return memory;
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

// Unknown kimi-* models: recent Kimi models pin temperature at 1 and reject others, so send none.
const UNKNOWN_TEMPERATURE: TemperatureRule = { kind: 'fixed', value: 1 };

function mergeWithCatalog(api: Snapshot['models'] | undefined): ModelInfo[] {
  const byId = new Map((api ?? []).map((m) => [m.id, m]));
  const known = MODELS.filter((m) => !m.retired).map((m) => {
    const contextLength = byId.get(m.id)?.contextLength;
    return contextLength ? { ...m, contextWindow: contextLength } : m;
  });
  const discovered = (api ?? [])
    .filter((m) => !findModel(m.id) && m.id.startsWith('kimi-') && m.contextLength !== undefined)
    .map(
      (m): ModelInfo => ({
        id: m.id,
        label: m.id,
        contextWindow: m.contextLength ?? 0,
        thinking: m.reasoning ? 'always' : 'never',
        temperature: UNKNOWN_TEMPERATURE,
        defaultMaxTokens: 32_768,
        purpose: 'general',
        vision: false,
        prices: { CNY: null, USD: null },
      }),
    );
  return [...known, ...discovered];
}

async function withPriceHint(model: ModelInfo, prisma: () => Promise<Prisma>): Promise<ModelOption> {
  const { currency } = config().kimi;
  const { id, label, contextWindow, thinking, temperature } = model;
  return { id, label, contextWindow, thinking, temperature, priceHint: model.routes ? null : await priceHint(model, currency, prisma) };
}

async function priceHint(model: ModelInfo, currency: Currency, prisma: () => Promise<Prisma>): Promise<ModelOption['priceHint']> {
  try {
    const rates = await ratesAt(await prisma(), model.id, currency);
    if (rates) return { currency, input: Number(rates.input), output: Number(rates.output) };
  } catch {
    // No database: the catalog's seed prices are the best hint.
  }
  const seed = model.prices[currency];
  return seed ? { currency, input: seed.input, output: seed.output } : null;
}

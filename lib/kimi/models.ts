// The models the configured endpoint serves that the app knows how to call (GET /models, cached), plus new
// kimi-* ids it lists. Stale-while-revalidate: a caller waits for Kimi at most once per process, ≤ 2 s.
// Retired models are served only when the endpoint lists them; when the list cannot be had at all, today's
// catalog stands in. Where the listing is persisted between starts is the caller's (a ModelsStore).
import 'server-only';
import { z } from 'zod';
import { config } from '@/lib/config';
import { processSingleton } from '@/lib/singleton';
import { CURRENT_MODELS, findModel, MODELS, type ModelInfo } from './catalog';
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

const FRESH_MS = 10 * 60_000;
const TIMEOUT_MS = 2_000;
/** After a failed listing, serve what we have without asking again for this long. */
const RETRY_AFTER_FAILURE_MS = 30_000;
/** Unknown kimi-* models: Kimi's recent models reason at length; reserve as much as K2.6's default. */
const UNKNOWN_MAX_TOKENS = 32_768;

/** Where the last listing is kept, so a fresh process offers the same models before Kimi answers. */
export interface ModelsStore {
  load(): Promise<unknown>;
  save(snapshot: Snapshot): Promise<void>;
}

const NO_STORE: ModelsStore = { load: async () => undefined, save: async () => undefined };

// On globalThis: Next.js bundles this module more than once (routes, pages), and they must share one list.
interface ModelsState {
  memory: Snapshot | undefined;
  loadedPersisted: boolean;
  refreshing: Promise<Snapshot | undefined> | undefined;
  failedAt: number;
}
const state = processSingleton(
  'kimi.models',
  (): ModelsState => ({ memory: undefined, loadedPersisted: false, refreshing: undefined, failedAt: -Infinity }),
);

/** The models the endpoint serves that the app can call, in catalog order, then discovered ones. */
export async function servedModels(store: ModelsStore = NO_STORE): Promise<ModelInfo[]> {
  return mergeWithCatalog((await currentSnapshot(store))?.models);
}

/** Auto's candidates among the served models, cheapest first. */
export function autoCandidatesOf(served: readonly ModelInfo[]): ModelInfo[] {
  return autoCandidates(served, config().kimi.currency);
}

/** Forget everything cached (tests; a changed base URL). */
export function resetModelsCache(): void {
  state.memory = undefined;
  state.loadedPersisted = false;
  state.refreshing = undefined;
  state.failedAt = -Infinity;
}

async function currentSnapshot(store: ModelsStore): Promise<Snapshot | undefined> {
  if (!state.loadedPersisted) {
    state.loadedPersisted = true;
    state.memory ??= await loadPersisted(store);
  }
  const now = Date.now();
  if (state.memory && now - state.memory.fetchedAt < FRESH_MS) return state.memory;
  if (now - state.failedAt < RETRY_AFTER_FAILURE_MS) return state.memory;
  state.refreshing ??= refresh(store).finally(() => {
    state.refreshing = undefined;
  });
  return state.memory ?? (await state.refreshing);
}

async function refresh(store: ModelsStore): Promise<Snapshot | undefined> {
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
    void persist(store, snapshot);
    return snapshot;
  } catch {
    state.failedAt = Date.now();
    return state.memory;
  }
}

async function loadPersisted(store: ModelsStore): Promise<Snapshot | undefined> {
  try {
    const parsed = snapshotSchema.safeParse(await store.load());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // the list still works from the catalog
  }
}

async function persist(store: ModelsStore, snapshot: Snapshot): Promise<void> {
  try {
    await store.save(snapshot);
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

// The models the simulator serves, per catalog mode. Model facts come from the app's catalog
// (lib/kimi/catalog.ts); the few facts it lacks (video input, pinned sampling beyond temperature, which
// models send a trailing usage chunk) are kept here and listed in sim/README.md.
//
// - `current` (default): today's API (kimi-api.md §1) — exactly the catalog's CURRENT_MODELS; every other id,
//   retired or unknown, answers 404.
// - `legacy`: the 2025 catalog the simulator used to serve (moonshot-v1-* with auto routing, the vision
//   previews, kimi-k2.5, kimi-latest, the K2 previews, plus kimi-k2.6 and kimi-k3 which already existed),
//   with the old, looser rules.
import { CURRENT_MODELS, getModel, type ModelInfo } from '../lib/kimi/catalog';

export type CatalogMode = 'current' | 'legacy';

export const CATALOG_MODES: readonly CatalogMode[] = ['current', 'legacy'];

/** Ids served in legacy mode, in GET /v1/models order. kimi-k2-0711-preview and kimi-k2-thinking-turbo were already gone (404). */
export const LEGACY_MODEL_IDS: readonly string[] = [
  'moonshot-v1-8k',
  'moonshot-v1-32k',
  'moonshot-v1-128k',
  'moonshot-v1-auto',
  'moonshot-v1-8k-vision-preview',
  'moonshot-v1-32k-vision-preview',
  'moonshot-v1-128k-vision-preview',
  'kimi-latest',
  'kimi-k2-0905-preview',
  'kimi-k2-turbo-preview',
  'kimi-k2-thinking',
  'kimi-k2.5',
  'kimi-k2.6',
  'kimi-k3',
];

/** Not in the catalog: video input. kimi-api.md: all four current models take `video_url` parts. */
const VIDEO_IN = new Set(['kimi-k3', 'kimi-k2.6', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed']);

/** Not in the catalog: the stream repeats usage in a trailing `{"choices":[],"usage"}` chunk (recorded for K3 only). */
const TRAILING_USAGE = new Set(['kimi-k3']);

/**
 * Not in the catalog: the pinned sampling values besides temperature on today's fixed-sampling models
 * (Moonshot's K2.5/K2.6 docs list top_p 0.95, n 1, penalties 0; unconfirmed for K3 and K2.7).
 */
export const PINNED_SAMPLING = { top_p: 0.95, n: 1, presence_penalty: 0, frequency_penalty: 0 } as const;

export interface ServedCatalog {
  mode: CatalogMode;
  models: readonly ModelInfo[];
  lookup(id: string): ModelInfo | undefined;
}

export function servedCatalog(mode: CatalogMode): ServedCatalog {
  const models = mode === 'current' ? CURRENT_MODELS : LEGACY_MODEL_IDS.map(getModel);
  const byId = new Map(models.map((m) => [m.id, m]));
  return { mode, models, lookup: (id) => byId.get(id) };
}

export const supportsVideo = (model: ModelInfo): boolean => VIDEO_IN.has(model.id);

export const sendsTrailingUsage = (model: ModelInfo): boolean => TRAILING_USAGE.has(model.id);

/** GET /v1/models, pre-serialised. `supports_video_in` is part of today's listing only. */
export function modelsListBody(catalog: ServedCatalog, omitContextLength: boolean): string {
  return JSON.stringify({
    object: 'list',
    data: catalog.models.map((m) => ({
      id: m.id,
      object: 'model',
      created: modelCreated(m.id),
      owned_by: 'moonshot',
      ...(omitContextLength ? {} : { context_length: m.contextWindow }),
      supports_image_in: m.vision,
      ...(catalog.mode === 'current' ? { supports_video_in: supportsVideo(m) } : {}),
      supports_reasoning: m.thinking !== 'never',
    })),
  });
}

/** Stable `created` per model so GET /v1/models is deterministic. */
export function modelCreated(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return 1_700_000_000 + (h % 60_000_000);
}

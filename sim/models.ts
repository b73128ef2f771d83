// The models the simulator serves: the app's catalog plus ids that exist upstream but the app does not list.
import { MODELS, findModel, type ModelInfo } from '../lib/kimi/catalog';

function visionPreview(base: string): ModelInfo {
  const model = findModel(base);
  if (!model) throw new Error(`catalog lacks ${base}`);
  return { ...model, id: `${base}-vision-preview`, label: `${model.label} Vision`, vision: true, listed: false };
}

/** Upstream-only models (kimi-api.md). kimi-k3's prices are unconfirmed, so it is billed at 0. */
const EXTRA_MODELS: readonly ModelInfo[] = [
  {
    id: 'kimi-k3',
    label: 'Kimi K3',
    contextWindow: 1_048_576,
    thinking: 'always',
    temperature: { kind: 'fixed', value: 1 },
    defaultMaxTokens: 8192,
    listed: false,
    prices: { CNY: null, USD: null },
  },
  visionPreview('moonshot-v1-8k'),
  visionPreview('moonshot-v1-32k'),
  visionPreview('moonshot-v1-128k'),
];

export const ALL_MODELS: readonly ModelInfo[] = [...MODELS, ...EXTRA_MODELS];

const BY_ID = new Map(ALL_MODELS.map((m) => [m.id, m]));

export function lookupModel(id: string): ModelInfo | undefined {
  return BY_ID.get(id);
}

/** Stable `created` per model so GET /v1/models is deterministic. */
export function modelCreated(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return 1_700_000_000 + (h % 60_000_000);
}

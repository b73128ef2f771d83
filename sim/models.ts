// The models the simulator serves: the app's catalog (today's models and the retired ones).
import { MODELS, type ModelInfo } from '../lib/kimi/catalog';

export const ALL_MODELS: readonly ModelInfo[] = MODELS;

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

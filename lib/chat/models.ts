// The models this instance offers, as the app sees them: what Kimi serves (lib/kimi/models, its listing
// persisted in the Setting table), Auto on top when it has candidates, price hints from the price table,
// and the instance default (the admin's choice, else KIMI_DEFAULT_MODEL, else Auto).
import 'server-only';
import { config } from '@/lib/config';
import type { ModelCatalogView, ModelOption } from '@/lib/contracts';
import { db, type PrismaClient } from '@/lib/db';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import { AUTO_MODEL_ID, type Currency, findModel, type ModelInfo } from '@/lib/kimi/catalog';
import { autoCandidatesOf, servedModels as kimiServedModels, type ModelsStore } from '@/lib/kimi/models';
import { ratesAt } from '@/lib/usage/prices';

export const MODELS_SETTING_KEY = 'kimi.models';
/** The admin's choice of instance default (overrides KIMI_DEFAULT_MODEL). */
export const DEFAULT_MODEL_SETTING_KEY = 'kimi.defaultModel';

type Prisma = Pick<PrismaClient, 'setting' | 'price'>;
export interface ModelsStorage {
  /** Where the listing is persisted, prices and the admin's default read; default the app database. */
  prisma?: () => Promise<Prisma>;
}

function settingStore(prisma: () => Promise<Prisma>): ModelsStore {
  return {
    load: async () => (await (await prisma()).setting.findUnique({ where: { key: MODELS_SETTING_KEY } }))?.value,
    save: async (snapshot) => {
      await (await prisma()).setting.upsert({
        where: { key: MODELS_SETTING_KEY },
        create: { key: MODELS_SETTING_KEY, value: snapshot },
        update: { value: snapshot },
      });
    },
  };
}

/** What the endpoint serves that the app can call (the listing persisted in the database). */
export function servedModels({ prisma = db }: ModelsStorage = {}): Promise<ModelInfo[]> {
  return kimiServedModels(settingStore(prisma));
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

/**
 * Sets the instance default (an admin's choice); false when it is neither Auto nor a served model. With
 * `actor`, the change and its audit row are one transaction in the app database.
 */
export async function setDefaultModel(id: string, { prisma = db }: ModelsStorage = {}, actor?: AuditActor): Promise<boolean> {
  const served = await servedModels({ prisma });
  const valid = id === AUTO_MODEL_ID ? autoCandidatesOf(served).length > 0 : served.some((m) => m.id === id);
  if (!valid) return false;
  const write = async (client: Pick<PrismaClient, 'setting'>) => {
    const before = await client.setting.findUnique({ where: { key: DEFAULT_MODEL_SETTING_KEY } });
    await client.setting.upsert({
      where: { key: DEFAULT_MODEL_SETTING_KEY },
      create: { key: DEFAULT_MODEL_SETTING_KEY, value: id },
      update: { value: id },
    });
    return before?.value ?? null;
  };
  if (!actor) {
    await write(await prisma());
    return true;
  }
  await (await db()).$transaction(async (tx) => {
    const before = await write(tx);
    await writeAudit(tx, actor, { kind: 'setting.defaultModel', target: `setting:${DEFAULT_MODEL_SETTING_KEY}`, before, after: id });
  });
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

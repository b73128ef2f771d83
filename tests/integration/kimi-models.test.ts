// The models an instance offers: what the endpoint serves (the simulator's GET /models, today's and the
// legacy catalog), the fallback to today's catalog, discovered kimi-* ids, persistence, Auto, the default.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_SETTING_KEY, defaultModelId, MODELS_SETTING_KEY, modelCatalogView, servedModels, setDefaultModel } from '@/lib/chat/models';
import { resetConfigForProcess } from '@/lib/config';
import { CURRENT_MODELS } from '@/lib/kimi/catalog';
import { resetModelsCache } from '@/lib/kimi/models';
import { invalidatePrices } from '@/lib/usage/prices';
import { type Simulator, startSimulator } from '@/sim';
import { useKimiAt } from '@/tests/support/kimi-env';
import { createTestDatabase, type TestDatabase } from '../support/db';

const CLOSED = 'http://127.0.0.1:9/v1';
const TODAY = CURRENT_MODELS.map((m) => m.id);
const noDatabase = () => Promise.reject(new Error('no database here'));

let sim: Simulator;
let db: TestDatabase;
beforeAll(async () => {
  [sim, db] = await Promise.all([startSimulator(), createTestDatabase('pglite')]);
});
afterEach(async () => {
  resetModelsCache();
  invalidatePrices();
  delete process.env.KIMI_DEFAULT_MODEL;
  await db.prisma.setting.deleteMany({});
});
afterAll(async () => {
  useKimiAt(undefined, undefined);
  await Promise.all([sim?.close(), db?.cleanup()]);
});

describe('servedModels and the picker', () => {
  it("falls back to today's catalog when Kimi is unreachable, quickly, with Auto first and seed price hints", async () => {
    useKimiAt(CLOSED);
    const started = Date.now();
    const view = await modelCatalogView({ prisma: noDatabase });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(view.models.map((m) => m.id)).toEqual(['auto', ...TODAY]);
    expect(view.defaultModel).toBe('auto');
    expect(view.models[0]).toMatchObject({ kind: 'auto', contextWindow: 1_048_576, candidates: ['kimi-k2.6', 'kimi-k3'], priceHint: null });
    expect(view.models.find((m) => m.id === 'kimi-k3')).toEqual({
      id: 'kimi-k3',
      label: 'Kimi K3',
      kind: 'general',
      contextWindow: 1_048_576,
      thinking: 'always',
      reasoningEfforts: ['low', 'high', 'max'],
      fixedTemperature: true,
      defaultTemperature: 1,
      vision: true,
      priceHint: { currency: 'CNY', cacheHit: 2, input: 20, output: 100 },
      priceUnconfirmed: true, // the CNY price of K3 is not confirmed by Moonshot
    });
    expect(view.models.find((m) => m.id === 'kimi-k2.6')).toMatchObject({ thinking: 'optional', reasoningEfforts: [], priceUnconfirmed: false });
    expect(view.models.find((m) => m.id === 'kimi-k2.7-code')).toMatchObject({ kind: 'code' });
  });

  it('before the simulator is up (simulator mode, no URL) it still lists the catalog', async () => {
    useKimiAt(undefined, undefined);
    expect((await servedModels({ prisma: noDatabase })).map((m) => m.id)).toEqual(TODAY);
  });

  it('lists exactly what the endpoint serves, caches and persists it', async () => {
    useKimiAt(sim.url);
    sim.clearRequests();
    expect((await servedModels({ prisma: async () => db.prisma })).map((m) => m.id)).toEqual(TODAY);
    await servedModels({ prisma: async () => db.prisma });
    expect(sim.requests().filter((r) => r.path === '/v1/models')).toHaveLength(1);
    await expect.poll(async () => (await db.prisma.setting.findUnique({ where: { key: MODELS_SETTING_KEY } }))?.key).toBe(MODELS_SETTING_KEY);
  });

  it('retired models are offered only where the endpoint still lists them (the legacy catalog)', async () => {
    const legacy = await startSimulator({ catalog: 'legacy' });
    useKimiAt(legacy.url);
    try {
      const ids = (await servedModels({ prisma: noDatabase })).map((m) => m.id);
      expect(ids).toEqual(expect.arrayContaining(['moonshot-v1-8k', 'moonshot-v1-auto', 'kimi-k2.5']));
      expect(ids).not.toContain('kimi-k2.7-code');
      expect(ids).not.toContain('kimi-k2-0711-preview');
    } finally {
      await legacy.close();
    }
  });

  it('an unknown kimi-* id the endpoint lists is offered with the unknown-model policy and no price', async () => {
    // As a fresh process finds it: the persisted list from the last start (fresh, so not asked again).
    const listed = [
      ...TODAY.map((id) => ({ id })),
      { id: 'kimi-k3.1-pro', contextLength: 2_097_152, reasoning: true, images: true },
      { id: 'other-llm', contextLength: 8192 },
    ];
    await db.prisma.setting.create({ data: { key: MODELS_SETTING_KEY, value: { fetchedAt: Date.now(), models: listed } } });
    useKimiAt(CLOSED);
    const view = await modelCatalogView({ prisma: async () => db.prisma });
    expect(view.models.map((m) => m.id)).toEqual(['auto', ...TODAY, 'kimi-k3.1-pro']);
    expect(view.models.at(-1)).toMatchObject({
      kind: 'unknown',
      contextWindow: 2_097_152,
      thinking: 'always',
      fixedTemperature: true,
      vision: true,
      priceHint: null,
    });
    expect((await servedModels({ prisma: async () => db.prisma })).find((m) => m.id === 'kimi-k3.1-pro')?.defaultMaxTokens).toBe(32_768);
  });

  it('without context_length, windows come from the catalog', async () => {
    const bare = await startSimulator({ omitContextLength: true });
    useKimiAt(bare.url);
    try {
      const served = await servedModels({ prisma: noDatabase });
      expect(served.map((m) => [m.id, m.contextWindow])).toEqual(CURRENT_MODELS.map((m) => [m.id, m.contextWindow]));
    } finally {
      await bare.close();
    }
  });

  it('price hints come from the price table (admins edit them there), and an edited price is no longer "unconfirmed"', async () => {
    useKimiAt(CLOSED);
    await db.prisma.price.create({
      data: { model: 'kimi-k3', currency: 'CNY', input: '21', output: '101', effectiveFrom: new Date(Date.now() - 1000) },
    });
    const k3 = (await modelCatalogView({ prisma: async () => db.prisma })).models.find((m) => m.id === 'kimi-k3');
    expect(k3).toMatchObject({ priceHint: { currency: 'CNY', cacheHit: null, input: 21, output: 101 }, priceUnconfirmed: false });
  });
});

describe('the instance default', () => {
  const storage = { prisma: async () => db.prisma };

  it('is Auto unless KIMI_DEFAULT_MODEL or an admin names a served model', async () => {
    useKimiAt(CLOSED);
    const served = await servedModels(storage);
    expect(await defaultModelId(served, storage)).toBe('auto');

    process.env.KIMI_DEFAULT_MODEL = 'kimi-k3';
    resetConfigForProcess();
    expect(await defaultModelId(served, storage)).toBe('kimi-k3');

    expect(await setDefaultModel('kimi-k2.7-code', storage)).toBe(true);
    expect(await defaultModelId(served, storage)).toBe('kimi-k2.7-code');
    expect((await modelCatalogView(storage)).defaultModel).toBe('kimi-k2.7-code');
  });

  it('refuses a model the endpoint does not serve, and never defaults to one', async () => {
    useKimiAt(CLOSED);
    expect(await setDefaultModel('moonshot-v1-auto', storage)).toBe(false);
    expect(await db.prisma.setting.findUnique({ where: { key: DEFAULT_MODEL_SETTING_KEY } })).toBeNull();
    process.env.KIMI_DEFAULT_MODEL = 'moonshot-v1-8k';
    resetConfigForProcess();
    expect(await defaultModelId(await servedModels(storage), storage)).toBe('auto');
  });
});

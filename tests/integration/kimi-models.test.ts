// The model picker's list: merge with GET /models (simulator), fallback to the catalog, persistence.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@/sim';
import { MODELS } from '@/lib/kimi/catalog';
import { MODELS_SETTING_KEY, listModels, lookupModel, resetModelsCache } from '@/lib/kimi/models';
import { invalidatePrices } from '@/lib/usage/prices';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { TEST_KEY, useKimiAt } from '@/tests/support/kimi-env';


const CLOSED = 'http://127.0.0.1:9/v1';
const LISTED = MODELS.filter((m) => m.retired === undefined);
const noDatabase = () => Promise.reject(new Error('no database here'));

let sim: Simulator;
let db: TestDatabase;
beforeAll(async () => {
  [sim, db] = await Promise.all([startSimulator(), createTestDatabase('pglite')]);
});
afterEach(() => {
  resetModelsCache();
  invalidatePrices();
});
afterAll(async () => {
  useKimiAt(undefined, undefined);
  await Promise.all([sim?.close(), db?.cleanup()]);
});

describe('listModels', () => {
  it('falls back to the catalog when Kimi is unreachable, quickly, with seed price hints', async () => {
    useKimiAt(CLOSED);
    const started = Date.now();
    const list = await listModels({ prisma: noDatabase });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(list.map((m) => m.id)).toEqual(LISTED.map((m) => m.id));
    expect(list.find((m) => m.id === 'moonshot-v1-32k')).toEqual({
      id: 'moonshot-v1-32k',
      label: 'Moonshot v1 32K',
      contextWindow: 32_768,
      thinking: 'never',
      temperature: { kind: 'range', min: 0, max: 1, default: 0 },
      priceHint: { currency: 'CNY', input: 5, output: 20 },
    });
    expect(list.find((m) => m.id === 'moonshot-v1-auto')?.priceHint).toBeNull();
  });

  it('before the simulator is up (simulator mode, no URL) it still lists the catalog', async () => {
    useKimiAt(undefined, undefined);
    expect((await listModels({ prisma: noDatabase })).length).toBe(LISTED.length);
  });

  it('merges the API list: adds kimi-* ids with a context_length, ignores other unknown ids, persists it', async () => {
    useKimiAt(sim.url);
    sim.clearRequests();
    const list = await listModels({ prisma: async () => db.prisma });
    const ids = list.map((m) => m.id);
    expect(ids.slice(0, LISTED.length)).toEqual(LISTED.map((m) => m.id));
    expect(list.find((m) => m.id === 'kimi-k3')).toMatchObject({ contextWindow: 1_048_576, thinking: 'always', temperature: { kind: 'fixed' } });
    expect(ids).not.toContain('moonshot-v1-8k-vision-preview'); // unknown, not kimi-*
    expect(ids).not.toContain('kimi-latest'); // known, but not listed
    expect(lookupModel('kimi-k3')?.contextWindow).toBe(1_048_576);

    // Cached: a second call does not ask Kimi again.
    await listModels({ prisma: async () => db.prisma });
    expect(sim.requests().filter((r) => r.path === '/v1/models')).toHaveLength(1);

    // Persisted: a fresh process with Kimi unreachable still knows kimi-k3.
    await expect.poll(async () => (await db.prisma.setting.findUnique({ where: { key: MODELS_SETTING_KEY } }))?.key).toBe(MODELS_SETTING_KEY);
    resetModelsCache();
    useKimiAt(CLOSED);
    expect((await listModels({ prisma: async () => db.prisma })).map((m) => m.id)).toContain('kimi-k3');
  });

  it('price hints come from the price table (admins edit them there)', async () => {
    useKimiAt(CLOSED);
    await db.prisma.price.create({ data: { model: 'moonshot-v1-8k', currency: 'CNY', input: '2.5', output: '12', effectiveFrom: new Date(Date.now() - 1000) } });
    const list = await listModels({ prisma: async () => db.prisma });
    expect(list.find((m) => m.id === 'moonshot-v1-8k')?.priceHint).toEqual({ currency: 'CNY', input: 2.5, output: 12 });
  });

  it('without context_length, unknown kimi-* ids are ignored and windows come from the catalog', async () => {
    const bare = await startSimulator({ omitContextLength: true });
    useKimiAt(bare.url);
    try {
      const list = await listModels({ prisma: noDatabase });
      expect(list.map((m) => m.id)).toEqual(LISTED.map((m) => m.id));
      expect(list.map((m) => m.contextWindow)).toEqual(LISTED.map((m) => m.contextWindow));
    } finally {
      await bare.close();
    }
  });
});

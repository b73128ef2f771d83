import { describe, expect, it } from 'vitest';
import { CURRENT_MODELS, getModel, MODELS } from '@/lib/kimi/catalog';
import { callSettings, validateTemperature } from '@/lib/kimi/rules';

type Reasoning = Parameters<typeof callSettings>[1];
const settings = (over: Partial<Reasoning> = {}): Reasoning => ({ temperature: null, thinking: true, reasoningEffort: null, ...over });

describe('callSettings', () => {
  it('never sends a temperature to a model that pins it, whatever the user chose', () => {
    const pinned = MODELS.filter((m) => m.temperature.kind === 'fixed');
    expect(pinned.map((m) => m.id)).toEqual(expect.arrayContaining(CURRENT_MODELS.map((m) => m.id)));
    for (const model of pinned) expect(callSettings(model, settings({ temperature: 0.2 }), 1000)).not.toHaveProperty('temperature');
  });

  it("sends the user's temperature to range models (retired moonshot-v1), and nothing when unset", () => {
    const v1 = getModel('moonshot-v1-8k');
    expect(callSettings(v1, settings({ temperature: 0.3 }), 1000).temperature).toBe(0.3);
    expect(callSettings(v1, settings({ temperature: 0 }), 1000).temperature).toBe(0);
    expect(callSettings(v1, settings(), 1000)).not.toHaveProperty('temperature');
  });

  it('sends the answer budget it is given', () => {
    expect(callSettings(getModel('kimi-k3'), settings(), 131_072).maxOutputTokens).toBe(131_072);
  });

  it('K2.6: thinking on or off, always explicit; never an effort', () => {
    const k26 = getModel('kimi-k2.6');
    expect(callSettings(k26, settings({ thinking: false, reasoningEffort: 'low' }), 1).providerOptions).toEqual({
      moonshotai: { thinking: { type: 'disabled' } },
    });
    expect(callSettings(k26, settings({ thinking: true, reasoningEffort: 'max' }), 1).providerOptions).toEqual({
      moonshotai: { thinking: { type: 'enabled' } },
    });
  });

  it('K3: the effort when one is chosen, never thinking; nothing when Kimi’s default is wanted', () => {
    const k3 = getModel('kimi-k3');
    for (const effort of ['low', 'high', 'max'] as const) {
      expect(callSettings(k3, settings({ thinking: false, reasoningEffort: effort }), 1).providerOptions).toEqual({
        moonshotai: { reasoningEffort: effort },
      });
    }
    expect(callSettings(k3, settings({ thinking: false }), 1)).not.toHaveProperty('providerOptions');
  });

  it('always-thinking models without efforts get neither field', () => {
    for (const id of ['kimi-k2.7-code', 'kimi-k2.7-code-highspeed']) {
      expect(callSettings(getModel(id), settings({ thinking: false, reasoningEffort: 'high' }), 1)).not.toHaveProperty('providerOptions');
    }
  });
});

describe('validateTemperature', () => {
  it('accepts the ends of a range and rejects values outside it, with the range as params', () => {
    const model = getModel('kimi-k2-thinking');
    const rule = model.temperature;
    if (rule.kind !== 'range') throw new Error('expected a range rule');
    expect(validateTemperature(model, settings({ temperature: rule.min }))).toBeNull();
    expect(validateTemperature(model, settings({ temperature: rule.max }))).toBeNull();
    expect(validateTemperature(model, settings({ temperature: rule.max + 0.01 }))).toEqual({
      code: 'invalid_temperature',
      params: { model: 'kimi-k2-thinking', value: rule.max + 0.01, min: rule.min, max: rule.max },
      retryable: false,
    });
    expect(validateTemperature(getModel('moonshot-v1-8k'), settings({ temperature: -0.1 }))?.code).toBe('invalid_temperature');
  });

  it('ignores a temperature sent for a pinned model (it is not forwarded)', () => {
    expect(validateTemperature(getModel('kimi-k2.6'), settings({ temperature: 0.3 }))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { MODELS, getModel } from '@/lib/kimi/catalog';
import { callSettings, validateSettings } from '@/lib/kimi/rules';
import type { ConversationSettings } from '@/lib/chat/types';

const settings = (model: string, temperature: number | null = null): ConversationSettings => ({ model, systemPrompt: '', temperature });

describe('callSettings', () => {
  it('never sends a temperature to a model that pins it, whatever the user chose', () => {
    const pinned = MODELS.filter((m) => m.temperature.kind === 'fixed');
    expect(pinned.length).toBeGreaterThan(0);
    for (const model of pinned) {
      const call = callSettings(model, settings(model.id, 0.2));
      expect(call).not.toHaveProperty('temperature');
    }
  });

  it("sends the user's temperature to range models, and nothing when unset (Kimi's default applies)", () => {
    const v1 = getModel('moonshot-v1-8k');
    expect(callSettings(v1, settings(v1.id, 0.3)).temperature).toBe(0.3);
    expect(callSettings(v1, settings(v1.id, 0)).temperature).toBe(0);
    expect(callSettings(v1, settings(v1.id, null))).not.toHaveProperty('temperature');
  });

  it("reserves the model's default output unless told otherwise", () => {
    const k2 = getModel('kimi-k2.5');
    expect(callSettings(k2, settings(k2.id)).maxOutputTokens).toBe(k2.defaultMaxTokens);
    expect(callSettings(k2, settings(k2.id), { maxOutputTokens: 777 }).maxOutputTokens).toBe(777);
  });

  it('switches thinking through provider options only on models where it is optional', () => {
    const optional = getModel('kimi-k2.5');
    expect(callSettings(optional, settings(optional.id), { thinking: false }).providerOptions).toEqual({ moonshotai: { thinking: { type: 'disabled' } } });
    expect(callSettings(optional, settings(optional.id), { thinking: true }).providerOptions).toEqual({ moonshotai: { thinking: { type: 'enabled' } } });
    expect(callSettings(optional, settings(optional.id))).not.toHaveProperty('providerOptions');
    const always = getModel('kimi-k2-thinking');
    expect(callSettings(always, settings(always.id), { thinking: false })).not.toHaveProperty('providerOptions');
  });
});

describe('validateSettings', () => {
  it('rejects unknown models', () => {
    expect(validateSettings(settings('moonshot-v2-9000'))).toEqual({ code: 'model_not_found', params: { model: 'moonshot-v2-9000' }, retryable: false });
  });

  it('accepts the ends of a range and rejects values outside it, with the range as params', () => {
    const rule = getModel('kimi-k2-thinking').temperature;
    if (rule.kind !== 'range') throw new Error('expected a range rule');
    expect(validateSettings(settings('kimi-k2-thinking', rule.min))).toBeNull();
    expect(validateSettings(settings('kimi-k2-thinking', rule.max))).toBeNull();
    expect(validateSettings(settings('kimi-k2-thinking', rule.max + 0.01))).toEqual({
      code: 'invalid_temperature',
      params: { model: 'kimi-k2-thinking', value: rule.max + 0.01, min: rule.min, max: rule.max },
      retryable: false,
    });
    expect(validateSettings(settings('moonshot-v1-8k', -0.1))?.code).toBe('invalid_temperature');
  });

  it('ignores a temperature sent for a pinned model (it is not forwarded)', () => {
    expect(validateSettings(settings('kimi-k2.6', 0.3))).toBeNull();
  });

  it('resolves models through a custom lookup (API-discovered ids)', () => {
    const k3 = { ...getModel('kimi-k2.5'), id: 'kimi-k3' };
    expect(validateSettings(settings('kimi-k3'), (id) => (id === 'kimi-k3' ? k3 : undefined))).toBeNull();
  });
});

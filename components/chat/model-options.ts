// What the chat UI derives from the shared ModelOption (lib/chat/types.ts): descriptions, placeholders
// for models no longer listed, and the label lookup used deep in the thread.
import { createContext } from 'react';
import type { ModelOption } from '@/lib/contracts';
import type { MessageKey } from '@/lib/i18n';

export type { ModelOption };

/** The id of the app's Auto (the same as lib/kimi/catalog.ts's AUTO_MODEL_ID, which is server code). */
export const AUTO_ID = 'auto';

const DESCRIPTION_BY_ID: Record<string, MessageKey> = {
  'kimi-k3': 'chat.picker.descriptions.k3',
  'kimi-k2.6': 'chat.picker.descriptions.k26',
  'kimi-k2.7-code': 'chat.picker.descriptions.k27code',
  'kimi-k2.7-code-highspeed': 'chat.picker.descriptions.k27codeHighspeed',
};

/** The one-line "what is it for": by id for known models, by kind for the others. */
export function descriptionKey(model: ModelOption): MessageKey {
  if (model.kind === 'auto') {
    const c = model.candidates ?? [];
    return c.length === 2 && c[0] === 'kimi-k2.6' && c[1] === 'kimi-k3' ? 'chat.picker.descriptions.auto' : 'chat.picker.descriptions.autoGeneric';
  }
  return DESCRIPTION_BY_ID[model.id] ?? `chat.picker.descriptions.${model.kind}`;
}

/** A conversation's model that the list no longer has: shown as itself, with nothing assumed. */
export function unlistedModel(id: string): ModelOption {
  return {
    id,
    label: id,
    kind: 'unknown',
    contextWindow: 0,
    thinking: 'never',
    reasoningEfforts: [],
    fixedTemperature: true,
    defaultTemperature: 1,
    vision: false,
    priceHint: null,
    priceUnconfirmed: false,
  };
}

/** Model id → label, for error messages deep in the thread. */
export const ModelLabelContext = createContext<(id: string) => string>((id) => id);

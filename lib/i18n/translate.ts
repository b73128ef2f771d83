// Typed lookup into the message catalog: t('chat.send'), t('errors.rate_limited', { seconds: 3 }).
import type { Messages } from './messages/en';

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<Messages>;
export type TranslateParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

/** Same shape as the English catalog, every leaf a string: other languages must be complete. */
export type Catalog<T = Messages> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> };

export function createTranslator(messages: Catalog): Translate {
  return (key, params) => {
    let node: unknown = messages;
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    if (typeof node !== 'string') return key;
    if (!params) return node;
    return node.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

/** For dynamic keys (e.g. error codes from the server) that are not known at compile time. */
export function hasMessage(messages: Catalog, key: string): key is MessageKey {
  let node: unknown = messages;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string';
}

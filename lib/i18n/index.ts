import type { Locale } from './locales';
import { en } from './messages/en';
import { zh } from './messages/zh';
import { type Catalog, createTranslator, type Translate } from './translate';

export { isLocale, LOCALE_COOKIE, LOCALES, type Locale, pickLocale } from './locales';
export { type Catalog, createTranslator, hasMessage, type MessageKey, type Translate } from './translate';

export const CATALOGS: Record<Locale, Catalog> = { en, zh };

const translators: Partial<Record<Locale, Translate>> = {};
export function translator(locale: Locale): Translate {
  return (translators[locale] ??= createTranslator(CATALOGS[locale]));
}

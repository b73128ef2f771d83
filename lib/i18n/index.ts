import type { Locale } from './locales';
import { en } from './messages/en';
import { zh } from './messages/zh';
import { createTranslator, type Catalog, type Translate } from './translate';

export { LOCALES, LOCALE_COOKIE, pickLocale, isLocale, type Locale } from './locales';
export { createTranslator, hasMessage, type Catalog, type MessageKey, type Translate } from './translate';

export const CATALOGS: Record<Locale, Catalog> = { en, zh };

const translators: Partial<Record<Locale, Translate>> = {};
export function translator(locale: Locale): Translate {
  return (translators[locale] ??= createTranslator(CATALOGS[locale]));
}

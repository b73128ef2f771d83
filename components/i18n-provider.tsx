'use client';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { type Catalog, createTranslator, type Locale, type Translate } from '@/lib/i18n';

interface I18nValue {
  locale: Locale;
  messages: Catalog;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

/** Gives client components the catalog chosen on the server for this request. */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Catalog; children: ReactNode }) {
  const value = useMemo(() => ({ locale, messages, t: createTranslator(messages) }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

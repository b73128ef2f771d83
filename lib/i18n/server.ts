import 'server-only';
import { cookies, headers } from 'next/headers';
import { CATALOGS, LOCALE_COOKIE, type Locale, pickLocale, translator } from './index';

/** The request's language, from the switcher's cookie or the browser. */
export async function getLocale(): Promise<Locale> {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  return pickLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerStore.get('accept-language'));
}

export async function getI18n() {
  const locale = await getLocale();
  return { locale, t: translator(locale), messages: CATALOGS[locale] };
}

'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { GlobeIcon } from '@/components/ui/icons';
import { LOCALE_COOKIE, LOCALES, type Locale } from '@/lib/i18n';

/** English / 中文: sets the `lang` cookie and re-renders the server components in the new language. */
export function LanguageSwitcher() {
  const { t, locale } = useI18n();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <label className="flex items-center gap-1.5 text-sm text-fg-soft">
      <GlobeIcon aria-hidden="true" />
      <span className="sr-only">{t('common.language')}</span>
      <select
        value={locale}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value as Locale;
          document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
          startTransition(() => router.refresh());
        }}
        className="rounded-md bg-transparent py-1 pr-1 text-sm hover:text-fg"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`common.languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

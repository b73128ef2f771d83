import type { ReactNode } from 'react';
import { getI18n } from '@/lib/i18n/server';

/** Sign-in and sign-up: one centered card under the app's name, outside the chat shell. */
export default async function AuthLayout({ children }: { children: ReactNode }) {
  const { t } = await getI18n();
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-sidebar px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-2xl font-semibold tracking-tight text-fg">{t('common.appName')}</p>
        <div className="rounded-2xl border border-line bg-surface p-6 shadow-sm sm:p-8">{children}</div>
      </div>
    </main>
  );
}

import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { I18nProvider } from '@/components/i18n-provider';
import { getI18n } from '@/lib/i18n/server';
import { requestTheme, themeClass } from '@/lib/preferences/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Kimi Chat', template: '%s · Kimi Chat' },
  description: 'A self-hostable chat for Moonshot AI’s Kimi models',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#141416' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [{ locale, messages }, theme] = await Promise.all([getI18n(), requestTheme()]);
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'} className={themeClass(theme)}>
      <body className="min-h-dvh bg-bg text-fg antialiased">
        <I18nProvider locale={locale} messages={messages}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}

'use client';
// A shared snapshot, read-only: answers through the thread's own Markdown renderer (no raw HTML, safe links
// only), questions as plain text. Nothing here can act on the conversation.
import Link from 'next/link';
import { useI18n } from '@/components/i18n-provider';
import { Markdown } from '@/components/markdown/markdown';
import { buttonClass } from '@/components/ui/button';
import type { ShareMessage } from '@/lib/share/types';

export interface SharedThreadProps {
  title: string;
  createdAt: string;
  messages: ShareMessage[];
}

export function SharedThread({ title, createdAt, messages }: SharedThreadProps) {
  const { t, locale } = useI18n();
  const date = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'long' }).format(new Date(createdAt));
  return (
    <div className="min-h-dvh overflow-y-auto">
      <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 pt-8 pb-16">
        <header className="flex flex-wrap items-start justify-between gap-3 border-b border-line pb-4">
          <div className="min-w-0">
            <p className="text-xs font-medium tracking-wide text-fg-faint uppercase">{t('library.sharedHeading')}</p>
            <h1 className="mt-1 text-xl font-semibold break-words">{title || t('chat.untitled')}</h1>
            <p className="mt-1 text-sm text-fg-soft">{t('library.sharedNote', { date })}</p>
          </div>
          <Link href="/" className={buttonClass('secondary', 'sm')}>
            {t('library.openApp')}
          </Link>
        </header>
        <div role="log" aria-label={t('chat.messages')} className="flex flex-col gap-6" data-testid="shared-thread">
          {messages.map((m, index) =>
            m.role === 'user' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: a snapshot never changes order.
              <div key={index} className="flex flex-col items-end gap-1">
                <h2 className="sr-only">{t('library.you')}</h2>
                <div className="max-w-[85%] rounded-2xl rounded-br-md bg-muted px-4 py-2.5 text-[0.95rem] leading-relaxed break-words whitespace-pre-wrap">
                  {m.text}
                </div>
              </div>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: a snapshot never changes order.
              <div key={index} className="flex flex-col gap-1">
                <h2 className="sr-only">{t('library.assistant')}</h2>
                <Markdown text={m.text} />
                {m.model ? <p className="text-xs text-fg-faint">{m.model}</p> : null}
              </div>
            ),
          )}
        </div>
      </main>
    </div>
  );
}

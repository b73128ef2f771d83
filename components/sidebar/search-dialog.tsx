'use client';
// Message search: a dialog with a query box and the matching messages, each with its snippet (plain text
// with the matched words marked), linking to the message in its conversation (/c/:id#message-<messageId>).
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { isAborted } from '@/components/api/client';
import { searchMessages } from '@/components/api/library-client';
import { messageAnchor } from '@/components/chat/message-anchor';
import { openMessageInPlace } from '@/components/chat/reveal';
import { useI18n } from '@/components/i18n-provider';
import { Dialog } from '@/components/ui/dialog';
import { SearchIcon } from '@/components/ui/icons';
import { MAX_QUERY_CHARS } from '@/lib/chat/search-query';
import type { SearchHit } from '@/lib/chat/search-types';
import { onOpenMessageSearch } from './search-events';

const DEBOUNCE_MS = 200;

export function SearchDialog() {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();

  useEffect(() => onOpenMessageSearch(() => setOpen(true)), []);
  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setHits(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      void searchMessages(q, controller.signal).then((result) => {
        if (result.ok) {
          setHits(result.value.hits);
          setFailed(false);
        } else if (!isAborted(result)) setFailed(true);
        if (!controller.signal.aborted) setLoading(false);
      });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const dateFormat = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium' });

  return (
    <Dialog open={open} onClose={() => setOpen(false)} title={t('library.searchTitle')}>
      <div className="flex flex-col gap-3">
        <div className="relative">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-fg-faint" />
          <input
            ref={inputRef}
            type="search"
            aria-label={t('library.searchLabel')}
            aria-describedby={hintId}
            placeholder={t('library.searchPlaceholder')}
            value={query}
            maxLength={MAX_QUERY_CHARS}
            onChange={(e) => setQuery(e.target.value)}
            className="h-10 w-full rounded-lg border border-line bg-surface pr-2 pl-8 text-sm outline-none placeholder:text-fg-faint focus:border-accent"
          />
        </div>
        <p id={hintId} className="text-xs text-fg-faint">
          {t('library.searchHint')}
        </p>
        <div aria-live="polite" aria-busy={loading} className="max-h-[55vh] min-h-16 overflow-y-auto">
          {failed ? (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {t('library.searchFailed')}
            </p>
          ) : hits === null ? (
            loading ? (
              <p className="text-sm text-fg-faint">{t('library.searching')}</p>
            ) : null
          ) : hits.length === 0 ? (
            <p className="text-sm text-fg-faint">{t('library.searchEmpty', { q: query.trim() })}</p>
          ) : (
            <ul className="flex flex-col gap-1" aria-label={t('library.results', { count: hits.length })}>
              {hits.map((hit) => (
                <li key={hit.messageId}>
                  <Link
                    href={messageAnchor(hit.conversationId, hit.messageId)}
                    onClick={(event) => {
                      setOpen(false);
                      if (window.location.pathname !== `/c/${hit.conversationId}`) return;
                      event.preventDefault();
                      openMessageInPlace(hit.messageId);
                    }}
                    className="block rounded-lg px-2.5 py-2 hover:bg-muted focus-visible:bg-muted"
                    data-testid="search-hit"
                  >
                    <span className="flex items-baseline justify-between gap-2 text-xs text-fg-soft">
                      <span className="truncate font-medium text-fg">{hit.title || t('chat.untitled')}</span>
                      <span className="shrink-0">
                        {hit.role === 'user' ? t('library.you') : t('library.assistant')} · {dateFormat.format(new Date(hit.createdAt))}
                      </span>
                    </span>
                    <span className="mt-0.5 block text-sm break-words text-fg-soft">
                      {hit.snippet.map((part, i) =>
                        part.hit ? (
                          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one snippet never reorder.
                          <mark key={i} className="rounded-sm bg-amber-200/70 px-0.5 text-fg dark:bg-amber-700/50">
                            {part.text}
                          </mark>
                        ) : (
                          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one snippet never reorder.
                          <span key={i}>{part.text}</span>
                        ),
                      )}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Dialog>
  );
}

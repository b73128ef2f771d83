'use client';
// Web search in the thread: the composer's per-chat toggle, "Searching the web…" while Kimi searches, the
// marker under an answer that searched ("searched the web, N searches") and the note when a model that
// cannot search while thinking handed the turn to another (README "Web search").
import { useI18n } from '@/components/i18n-provider';
import { cn } from '@/components/ui/cn';
import type { ChatUIMessage } from '@/lib/chat/types';

const SEARCH_PART = 'tool-$web_search';

export function WebSearchToggle({
  on,
  available,
  onChange,
  disabled,
}: {
  on: boolean;
  /** The instance allows web search (an admin setting). */
  available: boolean;
  onChange: (on: boolean) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const checked = on && available;
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      disabled={disabled || !available}
      title={available ? t('webSearch.toggleHint') : t('webSearch.disabled')}
      onClick={() => onChange(!on)}
      className="inline-flex h-9 shrink-0 items-center gap-2 rounded-lg px-2 text-sm text-fg-soft hover:bg-muted hover:text-fg disabled:opacity-60"
    >
      <span aria-hidden="true" className={cn('relative inline-block h-5 w-9 rounded-full transition-colors', checked ? 'bg-accent' : 'bg-fg/20')}>
        <span className={cn('absolute top-0.5 left-0.5 size-4 rounded-full bg-white shadow transition-transform', checked && 'translate-x-4')} />
      </span>
      {t('webSearch.toggle')}
    </button>
  );
}

/** Kimi is searching: the last search part has no text after it yet. */
export function isSearching(message: ChatUIMessage, streaming: boolean): boolean {
  if (!streaming) return false;
  const last = message.parts.findLastIndex((p) => p.type === SEARCH_PART);
  if (last === -1) return false;
  return !message.parts.slice(last + 1).some((p) => p.type === 'text' && p.text.trim() !== '');
}

/** Searches seen in the live stream (before the ledger's count arrives with the details). */
function liveSearches(message: ChatUIMessage): number {
  return message.parts.filter((p) => p.type === SEARCH_PART).length;
}

export function WebSearchStatus({ message, streaming }: { message: ChatUIMessage; streaming: boolean }) {
  const { t } = useI18n();
  const fallback = message.metadata?.searchFallback;
  const count = message.metadata?.details?.webSearches ?? (streaming ? 0 : liveSearches(message));
  return (
    <>
      {isSearching(message, streaming) ? (
        <p role="status" className="text-sm text-fg-soft">
          {t('webSearch.searching')}
        </p>
      ) : null}
      {fallback ? <p className="text-xs text-fg-soft">{t('webSearch.fallback', { from: fallback.from, to: fallback.to })}</p> : null}
      {!streaming && count > 0 ? (
        <p className="text-xs text-fg-soft" data-testid="web-search-marker">
          {count === 1 ? t('webSearch.markerOne') : t('webSearch.marker', { count })}
        </p>
      ) : null}
    </>
  );
}

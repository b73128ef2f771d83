'use client';
// One chip per document: name, pages or size, tokens, progress while uploading, the error when it
// failed (with Retry when retrying can help), and a remove button.
import { useI18n } from '@/components/i18n-provider';
import { cn } from '@/components/ui/cn';
import { CloseIcon, RefreshIcon } from '@/components/ui/icons';
import { documentErrorText } from './errors';
import { formatBytes, formatCount } from './format';
import type { DocumentItem } from './use-documents';

export function DocumentChips({
  items,
  onRetry,
  onRemove,
}: {
  items: DocumentItem[];
  onRetry: (key: string) => void;
  onRemove: (key: string) => void;
}) {
  const { t, messages, locale } = useI18n();
  if (items.length === 0) return null;
  return (
    <ul aria-label={t('documents.listLabel')} className="flex flex-wrap gap-2">
      {items.map((item) => (
        <li
          key={item.key}
          data-testid="document-chip"
          className={cn(
            'flex max-w-full min-w-0 items-center gap-2 rounded-xl border px-3 py-1.5 text-xs',
            item.status === 'error'
              ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200'
              : 'border-line bg-surface',
          )}
        >
          <div className="flex min-w-0 flex-col gap-1">
            <span className="truncate font-medium" title={item.name}>
              {item.name}
            </span>
            {item.status === 'ready' ? (
              <span className="text-fg-faint">
                {item.document.pages !== null
                  ? t('documents.pages', { count: formatCount(item.document.pages, locale) })
                  : formatBytes(item.document.bytes)}
                {' · '}
                {t('documents.tokens', { count: formatCount(item.document.tokens, locale) })}
              </span>
            ) : item.status === 'uploading' ? (
              <span className="flex items-center gap-2 text-fg-faint">
                <progress
                  className="h-1.5 w-28 overflow-hidden rounded-full accent-accent"
                  max={1}
                  value={item.progress}
                  aria-label={item.progress < 1 ? t('documents.uploading', { name: item.name }) : t('documents.processing', { name: item.name })}
                />
                {item.progress < 1 ? `${Math.round(item.progress * 100)}%` : t('documents.processing', { name: '' }).trim()}
              </span>
            ) : (
              <span role="alert">{documentErrorText(messages, t, item.error)}</span>
            )}
          </div>
          {/* Retry only where it can help: not for a file type or size that will be refused again. */}
          {item.status === 'error' && item.error.retryable ? (
            <button type="button" onClick={() => onRetry(item.key)} aria-label={t('documents.retry')} className="rounded-md p-1 hover:bg-muted">
              <RefreshIcon width={14} height={14} />
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => onRemove(item.key)}
            aria-label={t('documents.remove', { name: item.name })}
            className="rounded-md p-1 hover:bg-muted"
          >
            <CloseIcon width={14} height={14} />
          </button>
        </li>
      ))}
    </ul>
  );
}

'use client';
// The sidebar's Archived view: the archived chats, each to open, restore (back to the list) or delete.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { listArchived, organizeConversation } from '@/components/api/library-client';
import { useI18n } from '@/components/i18n-provider';
import { Button, buttonClass } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { ConversationSummary } from '@/lib/chat/types';

export interface ArchivedViewProps {
  activePath: string;
  onRestored: (conversation: ConversationSummary) => void;
  onDelete: (conversation: ConversationSummary) => void;
  /** Chats deleted from here (after the confirmation): dropped from the view. */
  deletedIds: ReadonlySet<string>;
}

export function ArchivedView({ activePath, onRestored, onDelete, deletedIds }: ArchivedViewProps) {
  const { t } = useI18n();
  const [items, setItems] = useState<ConversationSummary[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    void listArchived().then((result) => {
      if (result.ok) setItems(result.value.items);
      else setFailed(true);
    });
  }, []);

  const restore = async (conversation: ConversationSummary) => {
    const result = await organizeConversation(conversation.id, { archived: false });
    if (!result.ok) return setFailed(true);
    setItems((current) => current?.filter((c) => c.id !== conversation.id) ?? null);
    onRestored(conversation);
  };

  const shown = items?.filter((c) => !deletedIds.has(c.id));
  return (
    <section aria-label={t('library.archivedTitle')} className="flex flex-col gap-1">
      <h2 className="px-2 pt-1 pb-1 text-xs font-medium text-fg-faint">{t('library.archivedTitle')}</h2>
      {failed ? (
        <p role="alert" className="px-2 text-xs text-red-600 dark:text-red-400">
          {t('library.actionFailed')}
        </p>
      ) : null}
      {shown === undefined ? (
        <p className="px-2 py-2 text-sm text-fg-faint">{t('common.loading')}</p>
      ) : shown.length === 0 ? (
        <p className="px-2 py-6 text-center text-sm text-fg-faint">{t('library.noArchived')}</p>
      ) : (
        <ul className="flex flex-col gap-0.5">
          {shown.map((c) => {
            const title = c.title || t('chat.untitled');
            return (
              <li key={c.id} className={cn('flex items-center gap-1 rounded-lg', activePath === `/c/${c.id}` ? 'bg-muted' : 'hover:bg-muted/70')}>
                <Link href={`/c/${c.id}`} title={title} className="min-w-0 flex-1 truncate rounded-lg py-2 pl-2.5 text-sm text-fg-soft">
                  {title}
                </Link>
                <Button size="sm" variant="ghost" onClick={() => void restore(c)} aria-label={`${t('library.restore')}: ${title}`}>
                  {t('library.restore')}
                </Button>
                <button
                  type="button"
                  onClick={() => onDelete(c)}
                  aria-label={`${t('chat.delete')}: ${title}`}
                  className={cn(buttonClass('ghost', 'sm'), 'text-red-600 dark:text-red-400')}
                >
                  {t('chat.delete')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

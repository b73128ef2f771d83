'use client';
// One sidebar entry: the link to the conversation, its menu (rename, the caller's items, delete), and the
// inline rename field.
import { useEffect, useRef } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { buttonClass } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { DotsIcon, PencilIcon, TrashIcon } from '@/components/ui/icons';
import { IntentLink } from '@/components/ui/intent-link';
import { Menu, type MenuItem } from '@/components/ui/menu';
import type { ConversationSummary } from '@/lib/chat/types';

export interface ConversationRowProps {
  conversation: ConversationSummary;
  active: boolean;
  editing: boolean;
  onStartRename: () => void;
  onRename: (title: string) => void;
  onCancelRename: () => void;
  onDelete: () => void;
  /** More menu entries, between rename and delete (pin, archive, export, share). */
  menuItems?: MenuItem[];
}

export function ConversationRow({
  conversation,
  active,
  editing,
  onStartRename,
  onRename,
  onCancelRename,
  onDelete,
  menuItems = [],
}: ConversationRowProps) {
  const { t } = useI18n();
  const title = conversation.title || t('chat.untitled');
  const inputRef = useRef<HTMLInputElement>(null);
  const cancelled = useRef(false);

  useEffect(() => {
    if (editing) {
      cancelled.current = false;
      inputRef.current?.focus();
      inputRef.current?.select();
    }
  }, [editing]);

  if (editing) {
    return (
      <li>
        <input
          ref={inputRef}
          aria-label={t('chat.renameLabel')}
          defaultValue={conversation.title}
          maxLength={200}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
              e.preventDefault();
              onRename(e.currentTarget.value);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              cancelled.current = true;
              onCancelRename();
            }
          }}
          onBlur={(e) => {
            if (!cancelled.current) onRename(e.currentTarget.value);
          }}
          className="h-9 w-full rounded-lg border border-accent bg-surface px-2.5 text-sm outline-none"
        />
      </li>
    );
  }

  return (
    <li className={cn('group relative flex items-center rounded-lg', active ? 'bg-muted' : 'hover:bg-muted/70')}>
      <IntentLink
        href={`/c/${conversation.id}`}
        aria-current={active ? 'page' : undefined}
        title={title}
        className={cn('min-w-0 flex-1 truncate rounded-lg py-2 pr-8 pl-2.5 text-sm', active ? 'font-medium text-fg' : 'text-fg-soft')}
      >
        {title}
      </IntentLink>
      <div className={cn('absolute right-1', active ? '' : 'md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100')}>
        <Menu
          label={t('chat.chatOptions', { title })}
          trigger={<DotsIcon />}
          triggerClassName={buttonClass('ghost', 'icon-sm')}
          items={[
            { label: t('chat.rename'), icon: <PencilIcon width={14} height={14} />, onSelect: onStartRename },
            ...menuItems,
            { label: t('chat.delete'), icon: <TrashIcon width={14} height={14} />, onSelect: onDelete, danger: true },
          ]}
        />
      </div>
    </li>
  );
}

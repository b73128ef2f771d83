'use client';
// The ‹ 2 / 3 › switch under a message that has alternatives (an edit, a regenerated answer): each button
// shows the branch through the previous or next alternative; the server remembers the choice.
import { useI18n } from '@/components/i18n-provider';

export interface BranchSwitchProps {
  messageId: string;
  /** This message and its alternatives, oldest first. */
  siblings: readonly string[] | undefined;
  /** `to` the alternative asked for, `from` this message (which it replaces on screen). */
  onSwitch: (to: string, from: string) => void;
  disabled: boolean;
}

export function BranchSwitch({ messageId, siblings, onSwitch, disabled }: BranchSwitchProps) {
  const { t } = useI18n();
  const index = siblings?.indexOf(messageId) ?? -1;
  if (!siblings || siblings.length < 2 || index === -1) return null;
  const count = siblings.length;
  const previous = siblings[index - 1];
  const next = siblings[index + 1];
  const button = 'grid size-7 place-items-center rounded-md text-base hover:bg-muted hover:text-fg disabled:opacity-40 disabled:hover:bg-transparent';
  return (
    <nav aria-label={t('chat.branch.label')} className="flex items-center gap-0.5 text-xs text-fg-soft" data-testid="branch-switch">
      <button
        type="button"
        className={button}
        aria-label={t('chat.branch.previous')}
        disabled={disabled || !previous}
        onClick={() => previous && onSwitch(previous, messageId)}
      >
        <span aria-hidden="true">‹</span>
      </button>
      <span className="tabular-nums" aria-label={t('chat.branch.positionLabel', { index: index + 1, count })} role="status">
        {t('chat.branch.position', { index: index + 1, count })}
      </span>
      <button
        type="button"
        className={button}
        aria-label={t('chat.branch.next')}
        disabled={disabled || !next}
        onClick={() => next && onSwitch(next, messageId)}
      >
        <span aria-hidden="true">›</span>
      </button>
    </nav>
  );
}

'use client';
// An answer Kimi ended early: at its length budget (Continue extends the same answer) or by its content filter.
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { CutOffIcon } from '@/components/ui/icons';
import type { CutReason } from '@/lib/chat/types';

export interface CutOffNoteProps {
  reason: CutReason;
  /** Shown only where continuing is possible (the last answer, nothing streaming). */
  onContinue?: () => void;
}

export function CutOffNote({ reason, onContinue }: CutOffNoteProps) {
  const { t } = useI18n();
  const length = reason === 'length';
  return (
    <div
      data-testid="cut-off"
      data-reason={reason}
      className="flex w-fit flex-wrap items-center gap-2 rounded-xl border border-amber-300 bg-amber-50 px-3 py-1.5 text-sm text-amber-900 dark:border-amber-800/70 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <CutOffIcon width={14} height={14} className="shrink-0" />
      <p>{length ? t('chat.cutOff.length') : t('chat.cutOff.contentFilter')}</p>
      {length && onContinue ? (
        <Button size="sm" variant="secondary" onClick={onContinue}>
          {t('chat.cutOff.continue')}
        </Button>
      ) : null}
    </div>
  );
}

'use client';
import { useI18n } from '@/components/i18n-provider';
import { KeyboardIcon } from '@/components/ui/icons';
import { runShortcut } from './registry';

/** The sidebar's menu entry for the shortcuts list (the `?` key opens the same dialog). */
export function ShortcutsButton() {
  const { t } = useI18n();
  return (
    <button
      type="button"
      onClick={() => runShortcut('help')}
      aria-haspopup="dialog"
      className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-fg-soft hover:bg-muted hover:text-fg"
    >
      <KeyboardIcon />
      {t('shortcuts.open')}
    </button>
  );
}

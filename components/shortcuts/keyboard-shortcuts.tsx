'use client';
// Mounted once by the chat layout: listens for the shortcuts (registry.ts), handles the app-wide ones (new
// chat, the help dialog) and shows the help dialog listing them all.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { handleShortcutKey, SHORTCUTS } from './registry';
import { useShortcut } from './use-shortcut';

const isApple = () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export function KeyboardShortcuts() {
  const { t } = useI18n();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [apple, setApple] = useState(false);

  useEffect(() => {
    setApple(isApple());
    document.addEventListener('keydown', handleShortcutKey);
    return () => document.removeEventListener('keydown', handleShortcutKey);
  }, []);

  useShortcut('newChat', () => void router.push('/'), { fallback: true });
  useShortcut('help', () => void setOpen(true), { fallback: true });

  const key = (k: string) => (k === 'mod' ? (apple ? '⌘' : 'Ctrl') : k);
  const rows = [
    ...SHORTCUTS.map((s) => ({ id: s.id, keys: s.keys.map(key), note: s.inFields ? undefined : t('shortcuts.notTyping') })),
    { id: 'send', keys: ['Enter'], note: undefined },
    { id: 'newLine', keys: ['Shift', 'Enter'], note: undefined },
  ] as const;

  return (
    <Dialog
      open={open}
      onClose={() => setOpen(false)}
      title={t('shortcuts.title')}
      footer={
        <Button variant="ghost" onClick={() => setOpen(false)} autoFocus>
          {t('shortcuts.close')}
        </Button>
      }
    >
      <dl className="flex flex-col gap-2 text-sm" data-testid="shortcuts-list">
        {rows.map((row) => (
          <div key={row.id} className="flex items-center justify-between gap-4">
            <dt>
              {t(`shortcuts.list.${row.id}`)}
              {row.note ? <span className="text-fg-soft"> ({row.note})</span> : null}
            </dt>
            <dd className="flex shrink-0 gap-1">
              {row.keys.map((k) => (
                <kbd key={k} className="rounded-md border border-line bg-muted px-1.5 py-0.5 font-mono text-xs">
                  {k}
                </kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}

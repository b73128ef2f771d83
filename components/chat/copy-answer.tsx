'use client';
// Copies a whole answer as it was written (Markdown), not as it is rendered.
import { useEffect, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { CheckIcon, CopyIcon } from '@/components/ui/icons';

const CONFIRM_MS = 2_000;

export function CopyAnswerButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <div className="-ml-2 flex items-center gap-2">
      <Button
        size="sm"
        variant="ghost"
        aria-label={t('library.copyAnswerLabel')}
        onClick={() =>
          void navigator.clipboard.writeText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          )
        }
      >
        {state === 'copied' ? <CheckIcon width={14} height={14} /> : <CopyIcon width={14} height={14} />}
        {state === 'copied' ? t('library.copied') : t('library.copyAnswer')}
      </Button>
      {state === 'failed' ? (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {t('library.copyFailed')}
        </span>
      ) : null}
    </div>
  );
}

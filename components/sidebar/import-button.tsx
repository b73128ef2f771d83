'use client';
// Import a conversation exported as JSON: the file goes to the server as it is (validated there) and the
// new conversation opens.
import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { importConversation } from '@/components/api/library-client';
import { errorText } from '@/components/chat/errors';
import { emitSidebar } from '@/components/chat/events';
import { useI18n } from '@/components/i18n-provider';
import { buttonClass } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { MAX_IMPORT_BYTES } from '@/lib/chat/limits';

export function ImportButton() {
  const { t, messages, locale } = useI18n();
  const router = useRouter();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onFile = async (file: File) => {
    setError(null);
    if (file.size > MAX_IMPORT_BYTES) {
      setError(t('library.importFailed', { reason: t('errors.payload_too_large', { maxKb: Math.floor(MAX_IMPORT_BYTES / 1024) }) }));
      return;
    }
    setBusy(true);
    const result = await importConversation(await file.text());
    setBusy(false);
    if (!result.ok) {
      setError(t('library.importFailed', { reason: errorText(messages, t, result.error, (id) => id, locale) }));
      return;
    }
    emitSidebar({ type: 'upsert', conversation: result.value });
    router.push(`/c/${result.value.id}`);
  };

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={inputId} className={cn(buttonClass('ghost', 'sm', 'w-full justify-start'), busy && 'pointer-events-none opacity-60')}>
        {busy ? t('library.importing') : t('library.importChat')}
      </label>
      <input
        ref={inputRef}
        id={inputId}
        type="file"
        accept="application/json,.json"
        aria-label={t('library.importLabel')}
        className="sr-only"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void onFile(file);
        }}
      />
      {error ? (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

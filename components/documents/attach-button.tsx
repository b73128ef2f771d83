'use client';
// The paperclip: opens the file picker (several files at once).
import { useRef } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { buttonClass } from '@/components/ui/button';

const ACCEPT =
  '.pdf,.docx,.html,.htm,.txt,.md,.markdown,.csv,.tsv,.json,.xml,.yaml,.yml,.log,.js,.ts,.tsx,.jsx,.py,.go,.rs,.java,.kt,.c,.h,.cpp,.cs,.rb,.php,.sh,.sql,.css,text/*,image/png,image/jpeg,image/webp,image/gif';

export function AttachButton({ onFiles, disabled = false }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        onClick={() => input.current?.click()}
        disabled={disabled}
        aria-label={t('documents.attach')}
        title={t('documents.attachHint')}
        className={buttonClass('ghost', 'icon', 'rounded-full')}
      >
        <svg
          viewBox="0 0 24 24"
          width="18"
          height="18"
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden="true"
        >
          <path d="m21.4 11.1-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        hidden
        data-testid="attach-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = ''; // the same file can be chosen again (retry after removing)
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}

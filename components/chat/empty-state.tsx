'use client';
import { useI18n } from '@/components/i18n-provider';
import { SparkIcon } from '@/components/ui/icons';

const EXAMPLES = ['explain', 'code', 'write', 'translate'] as const;

export function EmptyState({ onPick }: { onPick: (prompt: string) => void }) {
  const { t } = useI18n();
  return (
    <div className="mx-auto flex min-h-full w-full max-w-3xl flex-col items-center justify-center gap-8 px-4 py-10">
      <div className="flex flex-col items-center gap-3 text-center">
        <span className="grid size-12 place-items-center rounded-2xl bg-accent-soft text-accent">
          <SparkIcon width={24} height={24} />
        </span>
        <h1 className="text-2xl font-semibold tracking-tight">{t('chat.emptyTitle')}</h1>
        <p className="text-fg-soft">{t('chat.emptySubtitle')}</p>
      </div>
      <ul aria-label={t('chat.examplesLabel')} className="grid w-full gap-2 sm:grid-cols-2">
        {EXAMPLES.map((key) => {
          const prompt = t(`chat.examples.${key}`);
          return (
            <li key={key}>
              <button
                type="button"
                onClick={() => onPick(prompt)}
                className="h-full w-full rounded-xl border border-line bg-surface px-4 py-3 text-left text-sm text-fg-soft transition-colors hover:border-fg-faint hover:text-fg"
              >
                {prompt}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

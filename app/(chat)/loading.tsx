import { getI18n } from '@/lib/i18n/server';

export default async function Loading() {
  const { t } = await getI18n();
  return (
    <div className="flex h-full flex-col" aria-busy="true">
      <div className="h-14 shrink-0 border-b border-line/70" />
      <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-6 px-4 pt-6" role="status">
        <span className="sr-only">{t('common.loading')}</span>
        <div className="ml-auto h-10 w-2/5 animate-pulse rounded-2xl bg-muted" />
        <div className="flex flex-col gap-2">
          <div className="h-4 w-11/12 animate-pulse rounded bg-muted" />
          <div className="h-4 w-9/12 animate-pulse rounded bg-muted" />
          <div className="h-4 w-10/12 animate-pulse rounded bg-muted" />
        </div>
      </div>
    </div>
  );
}

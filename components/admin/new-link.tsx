import type { Translate } from '@/lib/i18n';

/** A link the server made a moment ago (?link=), shown once to copy: an invitation or a password reset. */
export function NewLink({ link, t, label }: { link: string | undefined; t: Translate; label: string }) {
  if (!link || !/^https?:\/\/[^\s]+$/.test(link)) return null;
  return (
    <div
      role="status"
      className="flex flex-col gap-1 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm dark:border-emerald-800 dark:bg-emerald-950"
    >
      <span>{label}</span>
      <input
        readOnly
        value={link}
        aria-label={t('admin.access.newLink')}
        data-testid="new-link"
        className="w-full rounded border border-line bg-bg px-2 py-1 font-mono text-xs"
      />
    </div>
  );
}

import type { Translate } from '@/lib/i18n';

/** The translated reason a form post came back with (?error=), if any. */
export function FormError({ error, t }: { error: string | undefined; t: Translate }) {
  if (!['invalid', 'last_admin', 'invalid_domains', 'email_taken', 'invitation_closed'].includes(error ?? '')) return null;
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {t(`admin.errors.${error as 'invalid'}`)}
    </p>
  );
}

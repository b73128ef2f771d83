'use client';
// The account page's "Shared links": every live link of the user's, to open or revoke (it then 404s).
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { libraryRoutes, listShares, revokeShare } from '@/components/api/library-client';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import type { ShareSummary } from '@/lib/share/types';

export function SharedLinks() {
  const { t, locale } = useI18n();
  const [shares, setShares] = useState<ShareSummary[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    void listShares().then((result) => (result.ok ? setShares(result.value) : setFailed(true)));
  }, []);

  const revoke = async (share: ShareSummary) => {
    const result = await revokeShare(share.id);
    // Already revoked elsewhere (404) is gone too.
    if (!result.ok && result.status !== 404) return setFailed(true);
    setShares((current) => current?.filter((s) => s.id !== share.id) ?? null);
  };

  const date = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium' });
  return (
    <section aria-labelledby="shared-links-heading" className="rounded-2xl border border-line bg-surface p-6 shadow-sm">
      <h2 id="shared-links-heading" className="text-base font-semibold">
        {t('library.sharesTitle')}
      </h2>
      <p className="mt-1 mb-4 text-sm text-fg-soft">{t('library.sharesDescription')}</p>
      {failed ? (
        <p role="alert" className="mb-2 text-sm text-red-600 dark:text-red-400">
          {t('library.actionFailed')}
        </p>
      ) : null}
      {shares === null ? (
        <p className="text-sm text-fg-faint">{t('common.loading')}</p>
      ) : shares.length === 0 ? (
        <p className="text-sm text-fg-faint">{t('library.noShares')}</p>
      ) : (
        <ul className="flex flex-col divide-y divide-line" data-testid="shared-links">
          {shares.map((share) => {
            const title = share.title || t('chat.untitled');
            return (
              <li key={share.id} className="flex items-center gap-3 py-2">
                <div className="min-w-0 flex-1">
                  <Link href={libraryRoutes.sharedPage(share.id)} className="block truncate text-sm font-medium hover:underline" title={title}>
                    {title}
                  </Link>
                  <p className="text-xs text-fg-soft">
                    {share.visibility === 'link' ? t('library.visibilityLink') : t('library.visibilityUsers')} ·{' '}
                    {t('library.sharedOn', { date: date.format(new Date(share.createdAt)) })} ·{' '}
                    {t('library.messagesCount', { count: share.messages })}
                  </p>
                </div>
                <Button size="sm" variant="secondary" onClick={() => void revoke(share)} aria-label={t('library.revokeLabel', { title })}>
                  {t('library.revoke')}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

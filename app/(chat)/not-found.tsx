import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';
import { getI18n } from '@/lib/i18n/server';

export default async function NotFound() {
  const { t } = await getI18n();
  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-xl font-semibold">{t('common.notFoundTitle')}</h1>
      <p className="max-w-sm text-fg-soft">{t('common.notFoundBody')}</p>
      <Link href="/" className={buttonClass('primary', 'md', 'mt-2')}>
        {t('common.backToNewChat')}
      </Link>
    </div>
  );
}

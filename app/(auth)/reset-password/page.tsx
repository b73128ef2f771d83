import type { Metadata } from 'next';
import { getI18n } from '@/lib/i18n/server';
import { resetPasswordAction } from '../actions';
import { AuthHeader, type AuthSearchParams } from '../auth-page';
import { ResetForm } from './reset-form';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t('auth.reset.title') };
}

/** An admin-made one-time link (/reset-password?token=…): choose a new password. The token is checked on submit. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: AuthSearchParams }) {
  const { token } = await searchParams;
  const { t } = await getI18n();
  return (
    <>
      <AuthHeader title={t('auth.reset.title')} subtitle={t('auth.reset.subtitle')} />
      <ResetForm token={typeof token === 'string' ? token : ''} action={resetPasswordAction} />
    </>
  );
}

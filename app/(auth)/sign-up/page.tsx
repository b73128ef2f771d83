import type { Metadata } from 'next';
import { getI18n } from '@/lib/i18n/server';
import { signUpAction } from '../actions';
import { AuthForm } from '../auth-form';
import { AuthHeader, type AuthSearchParams, callbackOrRedirect, hrefWithCallback, SwitchLink } from '../auth-page';
import { passwordSignInOn, SsoSignIn } from '../sso';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t('auth.signUp.title') };
}

export default async function SignUpPage({ searchParams }: { searchParams: AuthSearchParams }) {
  const callbackUrl = await callbackOrRedirect(searchParams);
  const { invite } = await searchParams;
  const { t } = await getI18n();
  const token = typeof invite === 'string' ? invite : undefined;
  return (
    <>
      <AuthHeader title={t('auth.signUp.title')} subtitle={token ? t('auth.invited') : t('auth.signUp.subtitle')} />
      <SsoSignIn callbackUrl={callbackUrl} error={undefined} />
      {passwordSignInOn() && <AuthForm mode="sign-up" action={signUpAction} callbackUrl={callbackUrl} invite={token} />}
      <SwitchLink prompt={t('auth.signUp.haveAccount')} label={t('auth.signUp.toSignIn')} href={hrefWithCallback('/sign-in', callbackUrl)} />
    </>
  );
}

import type { Metadata } from 'next';
import { getI18n } from '@/lib/i18n/server';
import { signInAction } from '../actions';
import { AuthForm } from '../auth-form';
import { AuthHeader, type AuthSearchParams, callbackOrRedirect, hrefWithCallback, SwitchLink } from '../auth-page';
import { passwordSignInOn, SsoSignIn } from '../sso';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t('auth.signIn.title') };
}

export default async function SignInPage({ searchParams }: { searchParams: AuthSearchParams }) {
  const callbackUrl = await callbackOrRedirect(searchParams);
  const { error } = await searchParams;
  const { t } = await getI18n();
  return (
    <>
      <AuthHeader title={t('auth.signIn.title')} subtitle={t('auth.signIn.subtitle')} />
      <SsoSignIn callbackUrl={callbackUrl} error={typeof error === 'string' ? error : undefined} />
      {passwordSignInOn() && (
        <>
          <AuthForm mode="sign-in" action={signInAction} callbackUrl={callbackUrl} />
          <SwitchLink prompt={t('auth.signIn.noAccount')} label={t('auth.signIn.toSignUp')} href={hrefWithCallback('/sign-up', callbackUrl)} />
        </>
      )}
    </>
  );
}

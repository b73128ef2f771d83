// Single sign-on on the sign-in and sign-up pages: the issuer's button (labelled with OIDC_NAME) and the
// message for a refused or failed single sign-on, which Auth.js and lib/auth/config bring back as `?error=`.
import { config } from '@/lib/config';
import { getI18n } from '@/lib/i18n/server';
import { ssoSignInAction } from './actions';
import type { AuthErrorCode } from './form-state';

/** The codes lib/auth/sso refuses with; any other `error` (Auth.js's own) is shown as `sso_failed`. */
const SSO_ERRORS: readonly AuthErrorCode[] = [
  'account_disabled',
  'sign_up_closed',
  'email_domain_not_allowed',
  'sso_email_missing',
  'sso_email_unverified',
  'sso_identity_mismatch',
  'sso_invitation_required',
];

export async function SsoSignIn({ callbackUrl, error }: { callbackUrl: string; error: string | undefined }) {
  const { passwordSignIn, oidc } = config().auth;
  if (!oidc) return null;
  const { t } = await getI18n();
  const code = error === undefined ? undefined : (SSO_ERRORS.find((c) => c === error) ?? 'sso_failed');
  return (
    <div className="mb-6 space-y-4">
      {code && (
        <p
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300"
        >
          {t(`auth.errors.${code}`)}
        </p>
      )}
      {!passwordSignIn && <p className="text-sm text-fg-soft">{t('auth.sso.only', { name: oidc.name })}</p>}
      <form action={ssoSignInAction}>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <button
          type="submit"
          className="w-full rounded-lg border border-line bg-bg px-3 py-2 text-sm font-medium text-fg shadow-xs transition hover:bg-sidebar"
        >
          {t('auth.sso.button', { name: oidc.name })}
        </button>
      </form>
      {passwordSignIn && (
        <p className="flex items-center gap-3 text-xs text-fg-faint before:h-px before:flex-1 before:bg-line after:h-px after:flex-1 after:bg-line">
          {t('auth.sso.or')}
        </p>
      )}
    </div>
  );
}

/** Whether the password form is offered at all (PASSWORD_SIGNIN). */
export function passwordSignInOn(): boolean {
  return config().auth.passwordSignIn;
}

// The Auth.js provider for the instance's OpenID Connect issuer (OIDC_* settings). Auth.js discovers the
// endpoints from `<issuer>/.well-known/openid-configuration`, sends the user there with PKCE, state and
// nonce, and validates the ID token (signature, issuer, audience, nonce) before ./config sees its claims.
import 'server-only';
import type { OIDCConfig } from 'next-auth/providers';
import type { OidcConfig } from '@/lib/config';

/** The provider's id: the callback is /api/auth/callback/oidc (register that as the redirect URI). */
export const OIDC_PROVIDER_ID = 'oidc';

export function oidcProvider(oidc: OidcConfig): OIDCConfig<Record<string, unknown>> {
  return {
    id: OIDC_PROVIDER_ID,
    name: oidc.name,
    type: 'oidc',
    issuer: oidc.issuer,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    checks: ['pkce', 'state', 'nonce'],
    authorization: { params: { scope: 'openid email profile' } },
    // The claims as they came; ./sso decides which account they sign in as.
    profile: (claims) => ({ id: String(claims.sub), email: typeof claims.email === 'string' ? claims.email : null }),
  };
}

// A real OpenID Connect issuer on loopback for tests: the `oidc-provider` package (OpenID-certified), with
// one confidential client, accounts kept in memory, and its development login page (any password; the
// login names the account). Consent is granted up front for the client, as for a company's own app, so a
// sign-in is: the app → this login page → back to the app with a code, exchanged for real signed tokens.
import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export interface IssuerAccount {
  email: string;
  emailVerified: boolean;
  name?: string;
  groups?: string[];
}

export interface OidcIssuer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Login name → account; add or change accounts while the issuer runs. */
  accounts: Map<string, IssuerAccount>;
  close(): Promise<void>;
}

export async function startOidcIssuer(options: { port: number; redirectUri: string }): Promise<OidcIssuer> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const clientId = 'kimi-chat-test';
  const clientSecret = `secret-${crypto.randomUUID()}`;
  const accounts = new Map<string, IssuerAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // Put the scopes' claims in the ID token (as Keycloak, Entra ID and Google do), not only in userinfo.
    conformIdTokenClaims: false,
    cookies: { keys: [crypto.randomUUID()] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: account.email,
          email_verified: account.emailVerified,
          name: account.name ?? id,
          groups: account.groups ?? [],
        }),
      };
    },
    async loadExistingGrant(ctx) {
      const { client, session, result, provider: p } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return p.Grant.find(grantId);
      const grant = new p.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  // The issuer's reason for a refused token request is only in its own events: shown with the test's output.
  provider.on('grant.error', (_ctx, error) => console.warn('[issuer] token request refused:', error.error_detail ?? error.message));
  const server = await new Promise<Server>((resolve) => {
    const s = provider.listen(options.port, '127.0.0.1', () => resolve(s));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

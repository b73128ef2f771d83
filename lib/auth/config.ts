// Auth.js: email + password and, when configured, OpenID Connect single sign-on (./sso); JWT sessions. The token carries the user's id, role and sessionVersion;
// lib/auth/session.ts checks it against the user row (cached) on every request.
import 'server-only';
import type { DefaultSession, NextAuthConfig } from 'next-auth';
import { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { config } from '@/lib/config';
import { checkSignInRateLimit } from '@/lib/ratelimit';
import { clientIp } from '@/lib/security/client-ip';
import { OIDC_PROVIDER_ID, oidcProvider } from './oidc-provider';
import { signInSchema } from './schemas';
import { ensureAuthSecret } from './secret';
import { revokeSession, sessionIsLive } from './session';
import { takeSignInGrant } from './sign-in-grant';
import { identityFromClaims, signInWithSso } from './sso';
import { claimsSchema } from './token';
import type { Role } from './types';
import { verifyCredentials } from './users';

declare module 'next-auth' {
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; role: Role } & DefaultSession['user'];
  }
}

/** Error codes Auth.js puts on a failed sign-in (`code`); lib/auth/actions maps them to messages. */
class InvalidCredentials extends CredentialsSignin {
  override code = 'invalid_credentials';
}
class AccountDisabled extends CredentialsSignin {
  override code = 'account_disabled';
}
/** PASSWORD_SIGNIN=false: only single sign-on. */
class PasswordSignInOff extends CredentialsSignin {
  override code = 'password_sign_in_off';
}
/** Over the sign-in limits: no password was checked. */
export class TooManyAttempts extends CredentialsSignin {
  override code = 'too_many_attempts';
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Built per call (NextAuth's lazy form) so importing this module at build time reads no secret or file. */
export function authConfig(): NextAuthConfig {
  const { passwordSignIn, oidc } = config().auth;
  return {
    secret: ensureAuthSecret(),
    trustHost: true,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    // A refused sign-in is routine: one line, no stack (Auth.js's default prints an 11-line trace each).
    // Anything else is a real problem and keeps its full report.
    logger: {
      error(error) {
        if ((error as { type?: string }).type === 'CredentialsSignin') {
          console.warn(`[auth] sign-in refused: ${(error as CredentialsSignin).code}`);
          return;
        }
        console.error('[auth]', error);
      },
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        // Every password check goes through here — the sign-in form, the account page's fresh sign-in,
        // and Auth.js's own POST /api/auth/callback/credentials — so the limits are counted here, before
        // any password work, per client address and per email.
        async authorize(raw, request) {
          if (!passwordSignIn) throw new PasswordSignInOff();
          const input = signInSchema.safeParse(raw);
          if (!input.success) throw new InvalidCredentials();
          // Except the server's own sign-in right after it set or checked this password (./sign-in-grant).
          if (!takeSignInGrant((raw as Record<string, unknown>).grant, input.data.email)) {
            const wait = await checkSignInRateLimit(clientIp(request.headers), input.data.email);
            if (wait !== null) throw new TooManyAttempts(wait);
          }
          const result = await verifyCredentials(input.data.email, input.data.password);
          if (!result.ok) throw result.reason === 'account_disabled' ? new AccountDisabled() : new InvalidCredentials();
          return result.user;
        },
      }),
      ...(oidc ? [oidcProvider(oidc)] : []),
    ],
    events: {
      // Sign-out ends the session on the server, not only the cookie in this browser: a copy of the
      // token saved before (or renewed from it) is refused from now on.
      async signOut(message) {
        const token = 'token' in message ? message.token : null;
        const claims = claimsSchema.safeParse(token);
        if (claims.success) await revokeSession(claims.data, SESSION_MAX_AGE_SECONDS);
      },
    },
    callbacks: {
      // Single sign-on: the issuer's validated claims → one of our accounts (./sso), or back to the sign-in
      // page with the reason. `user` is the object the jwt callback receives next, so it becomes ours here.
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID || !oidc) return true;
        const identity = profile ? identityFromClaims(profile, oidc.adminClaim) : null;
        if (!identity) return '/sign-in?error=sso_email_missing';
        const result = await signInWithSso(identity, oidc.adminGroup);
        if (!result.ok) {
          console.warn(`[auth] single sign-on refused: ${result.reason}`);
          return `/sign-in?${new URLSearchParams({ error: result.reason })}`;
        }
        Object.assign(user, {
          id: result.user.id,
          email: result.user.email,
          name: result.user.name,
          role: result.user.role,
          sessionVersion: result.user.sessionVersion,
        });
        return true;
      },
      async jwt({ token, user }) {
        // `user` is only present on sign-in: a new session, with its own id that sign-out can revoke.
        if (user?.id) {
          token.id = user.id;
          token.role = user.role;
          token.sessionVersion = user.sessionVersion;
          token.sid = crypto.randomUUID();
          return token;
        }
        // Later calls (GET /api/auth/session renews the token) keep the claims, while the session lives:
        // a signed-out, disabled or superseded session is not renewed, and its cookie is cleared.
        const claims = claimsSchema.safeParse(token);
        if (!claims.success || !(await sessionIsLive(claims.data))) return null;
        return token;
      },
      session({ session, token }) {
        if (typeof token.id === 'string') session.user.id = token.id;
        if (token.role === 'user' || token.role === 'admin') session.user.role = token.role;
        return session;
      },
    },
  };
}

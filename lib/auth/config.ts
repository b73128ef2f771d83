// Auth.js: email + password, JWT sessions. The token carries the user's id, role and sessionVersion;
// lib/auth/session.ts checks it against the user row (cached) on every request.
import 'server-only';
import type { DefaultSession, NextAuthConfig } from 'next-auth';
import { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { signInSchema } from './schemas';
import { ensureAuthSecret } from './secret';
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

const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Built per call (NextAuth's lazy form) so importing this module at build time reads no secret or file. */
export function authConfig(): NextAuthConfig {
  return {
    secret: ensureAuthSecret(),
    trustHost: true,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(raw) {
          const input = signInSchema.safeParse(raw);
          if (!input.success) throw new InvalidCredentials();
          const result = await verifyCredentials(input.data.email, input.data.password);
          if (!result.ok) throw result.reason === 'account_disabled' ? new AccountDisabled() : new InvalidCredentials();
          return result.user;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        // `user` is only present on sign-in; later calls keep the claims already in the token.
        if (user?.id) {
          token.id = user.id;
          token.role = user.role;
          token.sessionVersion = user.sessionVersion;
        }
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

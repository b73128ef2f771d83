// A sign-in the server itself makes right after it set or checked the password — the new account's first
// sign-in, the account page's fresh session after a password change — is not a guess, and must not spend
// the sign-in limits a second time (sign-up has its own limit; the password change already counted its
// check). Such a sign-in carries a one-time grant: a random token, valid for that email for a few
// seconds, that only this process can have made. Anything arriving at Auth.js's endpoint without one is
// counted as usual.
import { randomBytes } from 'node:crypto';
import { processSingleton } from '@/lib/singleton';

const TTL_MS = 30_000;

// On globalThis: server actions and route handlers are separate bundles with their own module copies.
const grants = processSingleton('auth.signInGrants', () => new Map<string, { email: string; expires: number }>());

/** A one-time grant for the next sign-in of `email` (normalised as the sign-in schema does). */
export function grantSignIn(email: string): string {
  const now = Date.now();
  for (const [token, grant] of grants) if (grant.expires <= now) grants.delete(token);
  const token = randomBytes(24).toString('base64url');
  grants.set(token, { email: email.trim().toLowerCase(), expires: now + TTL_MS });
  return token;
}

/** True (once) when `token` is a live grant for `email`. */
export function takeSignInGrant(token: unknown, email: string): boolean {
  if (typeof token !== 'string') return false;
  const grant = grants.get(token);
  if (!grant) return false;
  grants.delete(token);
  return grant.expires > Date.now() && grant.email === email.trim().toLowerCase();
}

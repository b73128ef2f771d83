// The secret in an invitation or password-reset link: 32 random bytes, base64url. Only its SHA-256 is
// stored, so a copy of the database cannot be turned into working links.
import { createHash, randomBytes } from 'node:crypto';

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

/** Shaped like one of ours (43 base64url characters): anything else is not looked up. */
export function looksLikeLinkToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}

// Reading and decoding the Auth.js session cookie without Auth.js's request machinery: this runs on every
// request (proxy, routes, pages), so decoded tokens are cached. No database here — the proxy imports it.
import { decode } from 'next-auth/jwt';
import { z } from 'zod';
import { ExpiringLru } from './lru';
import { ensureAuthSecret } from './secret';
import { decryptSessionJwe } from './session-jwe';

/** Auth.js's default names: the `__Secure-` one when it sees https, the plain one otherwise. */
const SESSION_COOKIE_NAMES = ['__Secure-authjs.session-token', 'authjs.session-token'] as const;

/** What the session token must carry (set by the jwt callback in ./config). */
export const claimsSchema = z.object({
  id: z.uuid(),
  sessionVersion: z.number().int().min(0),
  exp: z.number(),
  /** The session's id: set at sign-in, kept when Auth.js renews the token; sign-out revokes it. */
  sid: z.uuid().optional(),
  /** This token's own id (Auth.js sets one per token). */
  jti: z.string().optional(),
});
export type SessionClaims = z.infer<typeof claimsSchema>;

// A decoded token is trusted for at most this long before it is decrypted again.
const DECODE_TTL_MS = 60_000;
const decoded = new ExpiringLru<string, SessionClaims>(10_000);

export interface SessionCookie {
  /** The cookie name; Auth.js uses it as the key-derivation salt. */
  name: string;
  token: string;
}

/**
 * Finds the session token among the request's cookies, joining chunks (`name.0`, `name.1`, …) when Auth.js
 * split a large token across several cookies.
 */
export function findSessionCookie(cookies: ReadonlyMap<string, string>): SessionCookie | null {
  for (const name of SESSION_COOKIE_NAMES) {
    const whole = cookies.get(name);
    if (whole) return { name, token: whole };
    const chunks: string[] = [];
    for (let i = 0; ; i++) {
      const chunk = cookies.get(`${name}.${i}`);
      if (!chunk) break;
      chunks.push(chunk);
    }
    if (chunks.length > 0) return { name, token: chunks.join('') };
  }
  return null;
}

/** Parses a Cookie header; the first occurrence of a name wins, as browsers send the most specific first. */
function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!name || cookies.has(name)) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value);
      } catch {
        continue;
      }
    }
    cookies.set(name, value);
  }
  return cookies;
}

/** The token's claims if it is ours, intact and unexpired; otherwise null. Cached per token string. */
export async function decodeSessionToken({ name, token }: SessionCookie): Promise<SessionClaims | null> {
  const now = Date.now();
  const key = `${name}=${token}`;
  const hit = decoded.get(key, now);
  if (hit) return hit.exp * 1000 > now ? hit : null;
  const secret = ensureAuthSecret();
  // A token as Auth.js writes it is read synchronously (./session-jwe); any other shape by Auth.js's decode.
  let payload: unknown = decryptSessionJwe(token, secret, name);
  if (payload === undefined) {
    try {
      payload = await decode({ token, secret, salt: name });
    } catch {
      return null; // tampered, expired, or made with another secret
    }
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success || claims.data.exp * 1000 <= now) return null;
  decoded.set(key, claims.data, Math.min(claims.data.exp * 1000, now + DECODE_TTL_MS));
  return claims.data;
}

/** Claims from a Cookie header, or null when signed out. */
export async function claimsFromCookieHeader(header: string | null): Promise<SessionClaims | null> {
  const cookie = findSessionCookie(parseCookieHeader(header));
  return cookie ? decodeSessionToken(cookie) : null;
}

/**
 * What sign-out revokes and every request checks: the session id, or — for a token issued before
 * sessions had ids — the token's own id, so that at least the token presented at sign-out ends.
 */
export function sessionKey(claims: Pick<SessionClaims, 'sid' | 'jti'>): string | undefined {
  if (claims.sid) return claims.sid;
  return claims.jti && z.uuid().safeParse(claims.jti).success ? claims.jti : undefined;
}

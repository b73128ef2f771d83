// Auth.js's session token read synchronously with node:crypto. Auth.js's own `decode` runs five WebCrypto
// jobs a token (the key's HKDF and thumbprint, two key imports, the HMAC and the AES decryption), each a
// promise and a trip to libuv's thread pool: 200 cold tokens at once cost ~40 ms of the server's one
// thread (Node 26), against ~6 ms here — and a team's busiest minute starts with every user's token cold.
// Only the exact shape Auth.js writes today is read here (`dir`, A256CBC-HS512, the derived key's
// thumbprint as `kid`; RFC 7516/7518); anything else — and any token that does not verify — is left to
// Auth.js's `decode`, so this can accept no token Auth.js would refuse, and refuses none it would accept.
import { createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

interface DerivedKey {
  mac: Buffer;
  enc: Buffer;
  kid: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
// jose refuses bytes that are not UTF-8; Buffer#toString would replace them.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The segment's bytes when it is canonical base64url (decoding and encoding again gives it back); else
 * undefined. Buffer's decoder drops a lone last character that jose's refuses: without this check a
 * character appended to a valid token's ciphertext would still verify.
 */
function canonicalBytes(segment: string): Buffer | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

// Few entries: one secret, two cookie names. Cleared when it grows, e.g. tests changing the secret.
const derived = new Map<string, DerivedKey>();

/** Auth.js's key for this cookie name (`getDerivedEncryptionKey` in @auth/core/jwt), and its JWK thumbprint. */
function derivedKey(secret: string, salt: string): DerivedKey {
  const id = `${salt}\0${secret}`;
  let key = derived.get(id);
  if (!key) {
    const raw = Buffer.from(hkdfSync('sha256', secret, salt, `Auth.js Generated Encryption Key (${salt})`, 64));
    // RFC 7638: the members of an `oct` key in lexicographic order, hashed with SHA-512 as Auth.js does.
    const kid = createHash('sha512')
      .update(JSON.stringify({ k: raw.toString('base64url'), kty: 'oct' }))
      .digest('base64url');
    key = { mac: raw.subarray(0, 32), enc: raw.subarray(32), kid };
    if (derived.size >= 8) derived.clear();
    derived.set(id, key);
  }
  return key;
}

/**
 * The token's payload when it is exactly Auth.js's session JWE, made with this secret and cookie name, and
 * intact; `undefined` otherwise (Auth.js's `decode` then decides). Expiry is the caller's check, as with
 * `decode`'s result.
 */
export function decryptSessionJwe(token: string, secret: string, salt: string): Record<string, unknown> | undefined {
  const segments = token.split('.');
  if (segments.length !== 5) return undefined;
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = segments as [string, string, string, string, string];
  // `dir`: no encrypted key. Every other segment canonical base64url, as jose reads them.
  if (encryptedKey !== '') return undefined;
  const headerBytes = canonicalBytes(protectedHeader);
  const ivBytes = canonicalBytes(iv);
  const cipherBytes = canonicalBytes(ciphertext);
  const tagBytes = canonicalBytes(tag);
  if (!headerBytes || !ivBytes || !cipherBytes || !tagBytes || ivBytes.length !== 16 || tagBytes.length !== 32) return undefined;
  const key = derivedKey(secret, salt);
  let header: unknown;
  try {
    header = JSON.parse(utf8.decode(headerBytes));
  } catch {
    return undefined;
  }
  if (!isExactHeader(header, key.kid)) return undefined;
  // RFC 7518 §5.2.2: the tag is the first half of HMAC-SHA-512 over AAD ‖ IV ‖ ciphertext ‖ AAD's length in bits.
  const aadBits = Buffer.alloc(8);
  aadBits.writeBigUInt64BE(BigInt(protectedHeader.length * 8));
  const expected = createHmac('sha512', key.mac).update(protectedHeader, 'ascii').update(ivBytes).update(cipherBytes).update(aadBits).digest();
  if (!timingSafeEqual(expected.subarray(0, 32), tagBytes)) return undefined;
  let payload: unknown;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key.enc, ivBytes);
    payload = JSON.parse(utf8.decode(Buffer.concat([decipher.update(cipherBytes), decipher.final()])));
  } catch {
    return undefined;
  }
  // jose's claim checks that an expiry check does not cover: a JSON object, and no `nbf` to honour.
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const claims = payload as Record<string, unknown>;
  if ('nbf' in claims || ('iat' in claims && typeof claims.iat !== 'number') || typeof claims.exp !== 'number') return undefined;
  return claims;
}

/** Exactly the header Auth.js writes: no `zip`, `crit` or other member that jose would act on. */
function isExactHeader(header: unknown, kid: string): boolean {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return false;
  const h = header as Record<string, unknown>;
  const keys = Object.keys(h);
  return keys.length === 3 && h.alg === 'dir' && h.enc === 'A256CBC-HS512' && h.kid === kid;
}

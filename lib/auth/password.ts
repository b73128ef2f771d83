// Password hashing with scrypt (memory-hard, in node:crypto, no native build). The stored form names its
// own parameters — `scrypt$N$r$p$saltB64$hashB64` — so they can be raised later without breaking old hashes.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const N = 2 ** 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds for parameters read back from storage: a tampered row must not make us allocate gigabytes.
const MAX_LOG2_N = 20;
const MAX_R = 16;
const MAX_P = 4;

/** scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly N=2^15,r=8, so give headroom. */
function maxmem(n: number, r: number, p: number): number {
  return 128 * n * r * p + 16 * 1024 * 1024;
}

// Async scrypt runs on the libuv thread pool, so hashing never blocks the event loop.
function derive(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { N, r: R, p: P, maxmem: maxmem(N, R, P) });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, nText = '', rText = '', pText = '', saltText = '', keyText = ''] = parts;
  const [n, r, p] = [nText, rText, pText].map((v) => (/^[1-9]\d{0,7}$/.test(v) ? Number(v) : NaN)) as [number, number, number];
  const powerOfTwo = Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
  if (!powerOfTwo || n > 2 ** MAX_LOG2_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return null;
  if (!B64.test(saltText) || !B64.test(keyText)) return null;
  const salt = Buffer.from(saltText, 'base64');
  const key = Buffer.from(keyText, 'base64');
  if (salt.length < 16 || key.length < 16 || key.length > 64) return null;
  return { n, r, p, salt, key };
}

/** True when `password` matches `stored`; false for a wrong password or a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { n, r, p, salt, key } = parsed;
  const candidate = await derive(password, salt, key.length, { N: n, r, p, maxmem: maxmem(n, r, p) });
  return timingSafeEqual(candidate, key);
}

/** A valid hash of a random password, for spending the same time when the email is unknown. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64'));
  return dummyHash;
}

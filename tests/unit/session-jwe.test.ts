import { hkdfSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompactEncrypt, EncryptJWT } from 'jose';
import { decode, encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decryptSessionJwe } from '@/lib/auth/session-jwe';

// Tokens made by Auth.js itself (`encode`), read by the synchronous reader and by Auth.js's `decode`.
// Auth.js's decode is watched (not replaced): decodeSessionToken must call it only for other shapes.
vi.mock('next-auth/jwt', async (importOriginal) => {
  const actual = await importOriginal<typeof import('next-auth/jwt')>();
  return { ...actual, decode: vi.fn(actual.decode) };
});
const SECRET = 'session-jwe-test-secret-0123456789abcdef';
const SALT = 'authjs.session-token';
const claims = (extra: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  sessionVersion: 3,
  sid: crypto.randomUUID(),
  name: 'Zoë 测试',
  ...extra,
});

/** Flips one character of a token's segment (the last, so that base64url padding bits stay meaningful). */
function tamper(token: string, segment: number): string {
  const parts = token.split('.');
  const s = parts[segment] ?? '';
  const i = Math.max(0, s.length - 2);
  parts[segment] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return parts.join('.');
}

// A key from Auth.js's derivation, used by hand through jose: tokens Auth.js accepts, of any shape.
const key = new Uint8Array(hkdfSync('sha256', SECRET, SALT, `Auth.js Generated Encryption Key (${SALT})`, 64));
const made = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
  new EncryptJWT(payload).setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512', ...header }).encrypt(key);
/** The `kid` Auth.js writes for this secret and cookie name. */
const authJsKid = async (): Promise<string> => {
  const valid = await encode({ token: claims(), secret: SECRET, salt: SALT });
  return JSON.parse(Buffer.from(valid.split('.')[0] ?? '', 'base64url').toString()).kid as string;
};

describe('decryptSessionJwe', () => {
  it("reads Auth.js's own tokens exactly as Auth.js's decode does", async () => {
    for (const salt of [SALT, '__Secure-authjs.session-token']) {
      const token = await encode({ token: claims(), secret: SECRET, salt });
      const fast = decryptSessionJwe(token, SECRET, salt);
      expect(fast).toBeDefined();
      expect(fast).toEqual(await decode({ token, secret: SECRET, salt }));
      expect(fast?.sessionVersion).toBe(3);
      expect(fast?.name).toBe('Zoë 测试');
    }
  });

  it('leaves a token that does not verify to Auth.js, which refuses it too', async () => {
    const token = await encode({ token: claims(), secret: SECRET, salt: SALT });
    const refused = [
      tamper(token, 0), // header (the AAD)
      tamper(token, 2), // IV
      tamper(token, 3), // ciphertext
      tamper(token, 4), // tag
      token.split('.').slice(0, 4).join('.'), // a segment missing
    ];
    for (const bad of refused) {
      expect(decryptSessionJwe(bad, SECRET, SALT)).toBeUndefined();
      await expect(decode({ token: bad, secret: SECRET, salt: SALT })).rejects.toThrow();
    }
    // A character appended to the ciphertext: Buffer's decoder would drop it and the tag would still match;
    // jose refuses the segment. Needs a ciphertext segment of a length divisible by 4 (its bytes by 3).
    // The ciphertext is whole 16-byte blocks: padding the claims by up to 64 characters reaches a count divisible by 3.
    let appended = false;
    for (let n = 0; n <= 64 && !appended; n += 4) {
      const candidate = await encode({ token: claims({ pad: 'x'.repeat(n) }), secret: SECRET, salt: SALT });
      const parts = candidate.split('.');
      if ((parts[3] ?? '').length % 4 !== 0) continue;
      for (const extra of ['A', 'w', '_']) {
        const longer = [...parts.slice(0, 3), `${parts[3]}${extra}`, parts[4]].join('.');
        expect(decryptSessionJwe(longer, SECRET, SALT)).toBeUndefined();
        await expect(decode({ token: longer, secret: SECRET, salt: SALT })).rejects.toThrow();
      }
      appended = true;
    }
    expect(appended).toBe(true);
    // Another secret, another cookie name (the salt): a different key.
    expect(decryptSessionJwe(token, `${SECRET}x`, SALT)).toBeUndefined();
    expect(decryptSessionJwe(token, SECRET, '__Secure-authjs.session-token')).toBeUndefined();
    await expect(decode({ token, secret: `${SECRET}x`, salt: SALT })).rejects.toThrow();
  });

  it('reads only the exact shape Auth.js writes; other valid tokens are left to Auth.js', async () => {
    const kid = await authJsKid();
    const now = Math.floor(Date.now() / 1000);

    const withoutKid = await made({}, { ...claims(), iat: now, exp: now + 60 });
    expect(decryptSessionJwe(withoutKid, SECRET, SALT)).toBeUndefined();
    expect(await decode({ token: withoutKid, secret: SECRET, salt: SALT })).toMatchObject({ sessionVersion: 3 });

    const extraHeader = await made({ kid, typ: 'JWT' }, { ...claims(), iat: now, exp: now + 60 });
    expect(decryptSessionJwe(extraHeader, SECRET, SALT)).toBeUndefined();

    // jose honours nbf; this reader does not try to.
    const notYet = await made({ kid }, { ...claims(), iat: now, exp: now + 600, nbf: now + 300 });
    expect(decryptSessionJwe(notYet, SECRET, SALT)).toBeUndefined();
    await expect(decode({ token: notYet, secret: SECRET, salt: SALT })).rejects.toThrow();

    // Bytes that are not UTF-8 in the claims: jose refuses them (Buffer would have replaced them).
    const notUtf8 = await new CompactEncrypt(Buffer.concat([Buffer.from(`{"exp":${now + 60},"name":"`), Buffer.from([0xff]), Buffer.from('"}')]))
      .setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512', kid })
      .encrypt(key);
    expect(decryptSessionJwe(notUtf8, SECRET, SALT)).toBeUndefined();
    await expect(decode({ token: notUtf8, secret: SECRET, salt: SALT })).rejects.toThrow();

    // The same header and claims as Auth.js's: read here.
    const same = await made({ kid }, { ...claims(), iat: now, exp: now + 60 });
    expect(decryptSessionJwe(same, SECRET, SALT)).toMatchObject({ sessionVersion: 3, exp: now + 60 });
  });
});

describe('decodeSessionToken', () => {
  let dir: string;
  const saved = { secret: process.env.AUTH_SECRET, dataDir: process.env.DATA_DIR };
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'session-jwe-'));
    process.env.DATA_DIR = dir;
    process.env.AUTH_SECRET = SECRET;
  });
  afterAll(() => {
    for (const [name, value] of [
      ['AUTH_SECRET', saved.secret],
      ['DATA_DIR', saved.dataDir],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a live token, refuses a tampered or expired one', async () => {
    const { decodeSessionToken } = await import('@/lib/auth/token');
    const live = claims();
    const token = await encode({ token: live, secret: SECRET, salt: SALT });
    expect(await decodeSessionToken({ name: SALT, token })).toMatchObject({ id: live.id, sid: live.sid, sessionVersion: 3 });
    expect(await decodeSessionToken({ name: SALT, token: tamper(token, 3) })).toBeNull();
    // Auth.js's encode sets exp from maxAge: already past.
    const expired = await encode({ token: claims(), secret: SECRET, salt: SALT, maxAge: -60 });
    expect(decryptSessionJwe(expired, SECRET, SALT)).toBeDefined(); // intact: the expiry is the caller's
    expect(await decodeSessionToken({ name: SALT, token: expired })).toBeNull();
  });

  it("reads Auth.js's own tokens without Auth.js's decode, and hands any other shape to it", async () => {
    const { decodeSessionToken } = await import('@/lib/auth/token');
    const authDecode = vi.mocked(decode);
    const live = claims();
    const token = await encode({ token: live, secret: SECRET, salt: SALT });
    authDecode.mockClear();
    expect(await decodeSessionToken({ name: SALT, token })).toMatchObject({ id: live.id, sessionVersion: 3 });
    expect(authDecode).not.toHaveBeenCalled();
    // No `kid`: Auth.js accepts it, the synchronous reader does not read it.
    const now = Math.floor(Date.now() / 1000);
    const other = claims();
    const withoutKid = await made({}, { ...other, iat: now, exp: now + 60 });
    expect(await decodeSessionToken({ name: SALT, token: withoutKid })).toMatchObject({ id: other.id, sessionVersion: 3 });
    expect(authDecode).toHaveBeenCalledTimes(1);
  });
});

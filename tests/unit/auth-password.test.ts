import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { safeCallbackPath } from '@/lib/auth/redirects';
import { signUpSchema } from '@/lib/auth/schemas';

describe('password hashing', () => {
  it('accepts the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores a self-describing scrypt$N$r$p$salt$hash string', async () => {
    const stored = await hashPassword('hunter2hunter2');
    const parts = stored.split('$');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(32);
  });

  it('uses a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('rejects malformed or tampered stored hashes without throwing', async () => {
    const stored = await hashPassword('a fine password');
    const [, n, r, p, salt, key] = stored.split('$') as [string, string, string, string, string, string];
    const malformed = [
      '',
      'plaintext',
      `bcrypt$${n}$${r}$${p}$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 30}$${r}$${p}$${salt}$${key}`, // absurd memory
      `scrypt$${n}$0$${p}$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$not*base64$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}$${Buffer.from('short').toString('base64')}`,
      `scrypt$${n}$${r}$${p}$${salt}$${Buffer.alloc(32).toString('base64')}`, // well-formed, wrong hash
    ];
    for (const bad of malformed) expect(await verifyPassword('a fine password', bad), bad).toBe(false);
  });

  it('does not block the event loop while hashing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await hashPassword('event loop stays free');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('sign-up rules', () => {
  it('normalises the email and enforces 8–200 character passwords', () => {
    expect(signUpSchema.parse({ email: '  Ada@Example.COM ', password: '12345678' })).toEqual({ email: 'ada@example.com', password: '12345678' });
    expect(signUpSchema.safeParse({ email: 'ada@example.com', password: '1234567' }).success).toBe(false);
    expect(signUpSchema.safeParse({ email: 'ada@example.com', password: 'x'.repeat(200) }).success).toBe(true);
    expect(signUpSchema.safeParse({ email: 'ada@example.com', password: 'x'.repeat(201) }).success).toBe(false);
    expect(signUpSchema.safeParse({ email: 'not an email', password: '12345678' }).success).toBe(false);
  });
});

describe('callbackUrl', () => {
  it('keeps same-origin relative paths only', () => {
    expect(safeCallbackPath('/c/123?x=1#m')).toBe('/c/123?x=1#m');
    expect(safeCallbackPath('/admin')).toBe('/admin');
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      'c/1',
      '/\t/evil.example',
      undefined,
      42,
    ]) {
      expect(safeCallbackPath(bad), String(bad)).toBe('/');
    }
    expect(safeCallbackPath('/sign-in?callbackUrl=/x')).toBe('/');
  });
});

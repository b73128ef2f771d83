import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A fresh copy of the modules per test = a fresh process start.
async function freshEnsureAuthSecret() {
  vi.resetModules();
  return (await import('@/lib/auth/secret')).ensureAuthSecret;
}

describe('ensureAuthSecret', () => {
  let dir: string;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'auth-secret-')), 'nested', 'data');
    process.env.DATA_DIR = dir;
    delete process.env.AUTH_SECRET;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
  });

  it('creates a private secret in the data folder on first run and reuses it after a restart', async () => {
    const first = (await freshEnsureAuthSecret())();
    const file = path.join(dir, 'auth-secret');
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(process.env.AUTH_SECRET).toBe(first);

    delete process.env.AUTH_SECRET;
    expect((await freshEnsureAuthSecret())()).toBe(first);
  });

  it('prefers AUTH_SECRET and then writes nothing', async () => {
    process.env.AUTH_SECRET = 'from-the-environment-0123456789abcdef';
    expect((await freshEnsureAuthSecret())()).toBe('from-the-environment-0123456789abcdef');
    expect(() => statSync(path.join(dir, 'auth-secret'))).toThrow();
  });
});

// The data folder is private to the server's user (issue 17, item 4): with a usual umask (022) the
// embedded database's files came out rw-rw-rw- and the folders 0755. Now every folder is 0700 and every
// file 0600 — for a new data folder, and for an existing one fixed at start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db';
import { makePrivate } from '@/lib/security/data-dir';

const roots: string[] = [];
let previousUmask = 0;

beforeAll(() => {
  previousUmask = process.umask(0o022); // the usual one, whatever the test runner had
});
afterAll(() => {
  process.umask(previousUmask);
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-chat-perm-')), 'data');
  roots.push(path.dirname(root));
  return root;
}

/** Every entry under root (root included) whose mode is not private: [relative path, octal mode]. */
function notPrivate(root: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const check = (at: string) => {
    const info = fs.lstatSync(at);
    const mode = info.mode & 0o777;
    const want = info.isDirectory() ? 0o700 : 0o600;
    if ((info.isDirectory() || info.isFile()) && mode !== want) found.push([path.relative(root, at) || '.', mode.toString(8)]);
    if (info.isDirectory()) for (const name of fs.readdirSync(at)) check(path.join(at, name));
  };
  check(root);
  return found;
}

describe('the data folder', () => {
  it('is created private, with the embedded database in it private too', async () => {
    const root = tempRoot();
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(root, 'pglite'), preparedStatements: true });
    try {
      await database.prisma.user.count();
      // The folders, whatever PGlite creates later inside them.
      expect((fs.statSync(root).mode & 0o777).toString(8)).toBe('700');
      expect((fs.statSync(path.join(root, 'pglite')).mode & 0o777).toString(8)).toBe('700');
      // Every file PGlite made while opening (it asks for 0666).
      expect(notPrivate(root)).toEqual([]);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('is fixed at start when an earlier version left it world-readable and world-writable', () => {
    const root = tempRoot();
    fs.mkdirSync(path.join(root, 'pglite', 'base', '1'), { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.join(root, 'uploads', 'tmp'), { recursive: true, mode: 0o755 });
    for (const file of ['pglite/PG_VERSION', 'pglite/base/1/1259', 'uploads/tmp/x.part', 'auth-secret']) {
      fs.writeFileSync(path.join(root, file), 'x', { mode: 0o666 });
      fs.chmodSync(path.join(root, file), 0o666);
    }
    fs.chmodSync(root, 0o755);
    fs.symlinkSync('/etc/hostname', path.join(root, 'link')); // left alone, not followed
    expect(notPrivate(root).length).toBeGreaterThan(5);
    const before = fs.statSync('/etc/hostname').mode;

    expect(makePrivate(root)).toBe(10);
    expect(notPrivate(root)).toEqual([]);
    expect(fs.statSync('/etc/hostname').mode).toBe(before);
    expect(makePrivate(root)).toBe(0); // idempotent
  });

  it('keeps the session secret and an upload in progress private', async () => {
    const root = tempRoot();
    const { receiveToTempFile } = await import('@/lib/documents/receive');
    const body = new Response('some text').body;
    const received = await receiveToTempFile(body, path.join(root, 'uploads', 'tmp'), 1024);
    try {
      expect(notPrivate(root)).toEqual([]);
    } finally {
      await received.discard();
    }
  });
});

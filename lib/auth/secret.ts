// The key that signs and encrypts session tokens. Self-hosters should not have to invent one: when
// AUTH_SECRET is unset, one is generated once into the data folder and reused on every start.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config } from '@/lib/config';
import { mkdirPrivate } from '@/lib/security/data-dir';

const FILE_NAME = 'auth-secret';
let resolved: string | undefined;

function readSecretFile(file: string): string | undefined {
  try {
    const value = readFileSync(file, 'utf8').trim();
    return value === '' ? undefined : value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function loadOrCreate(dataDir: string): string {
  const file = path.join(dataDir, FILE_NAME);
  const existing = readSecretFile(file);
  if (existing) return existing;
  mkdirPrivate(dataDir);
  const secret = randomBytes(32).toString('base64url');
  // Write a private temp file, then hard-link it into place: the link either appears complete or fails
  // with EEXIST (another process won the race), so no process ever reads a half-written secret.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = readSecretFile(file);
    if (!theirs) throw new Error(`${file} exists but is empty`);
    return theirs;
  } finally {
    unlinkSync(temp);
  }
}

/** The session secret: AUTH_SECRET if set, else `<dataDir>/auth-secret` (created on first run). Sets process.env.AUTH_SECRET. */
export function ensureAuthSecret(): string {
  if (resolved) return resolved;
  const { authSecret, dataDir } = config();
  resolved = authSecret ?? loadOrCreate(dataDir);
  process.env.AUTH_SECRET = resolved;
  return resolved;
}

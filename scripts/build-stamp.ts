// Decides whether `npm start` must build: the build is current when .next holds a build made from the
// sources as they are now (a fingerprint of every source file's path, size and mtime).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SOURCES = [
  'app',
  'components',
  'lib',
  'sim',
  'public',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.ts',
  'package-lock.json',
  'postcss.config.mjs',
  'tsconfig.json',
];
const SKIP = new Set(['node_modules', '.next', 'generated']);
const STAMP = '.next/kimi-source-stamp';

function walk(target: string, hash: ReturnType<typeof createHash>): void {
  if (!existsSync(target)) return;
  const stat = statSync(target);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(target).sort()) if (!SKIP.has(entry)) walk(path.join(target, entry), hash);
    return;
  }
  hash.update(`${target}\0${stat.size}\0${stat.mtimeMs}\n`);
}

function fingerprint(root: string): string {
  const hash = createHash('sha256');
  for (const source of SOURCES) walk(path.join(root, source), hash);
  return hash.digest('hex');
}

export function buildIsCurrent(root: string): boolean {
  const stamp = path.join(root, STAMP);
  if (!existsSync(path.join(root, '.next/BUILD_ID')) || !existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8') === fingerprint(root);
}

export function recordBuild(root: string): void {
  writeFileSync(path.join(root, STAMP), fingerprint(root));
}

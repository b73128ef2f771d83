// One process per PGlite folder: two PGlite instances writing the same files corrupt the database.
// A lock file in the folder names the holder; a lock whose process is gone is taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const LOCK_FILE_NAME = 'kimi-chat.lock';

const lockSchema = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string() });
type LockInfo = z.infer<typeof lockSchema>;

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    /** undefined when the lock file could not be read (its holder is writing it). */
    readonly holder: LockInfo | undefined,
  ) {
    const self = holder?.pid === process.pid && holder.host === os.hostname();
    super(
      self
        ? `The embedded database folder ${dataDir} is already open in this process (pid ${holder.pid}): share it through db() instead of opening it again.`
        : `The embedded database folder ${dataDir} is in use by another process` +
            (holder ? ` (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})` : '') +
            `. Only one process can open it at a time. Stop that process, or point DATA_DIR to another folder, ` +
            `or set DATABASE_URL to a PostgreSQL server to run several instances.`,
    );
  }
}

/** Lock paths this process holds; a lock naming our pid but not listed here is left from an earlier life. */
const HELD = Symbol.for('kimi-chat.db.heldLocks');
const held: Set<string> = ((globalThis as Record<symbol, unknown>)[HELD] as Set<string> | undefined) ?? new Set<string>();
(globalThis as Record<symbol, unknown>)[HELD] = held;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(lockPath: string): { raw: string; info: LockInfo | undefined } | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let info: LockInfo | undefined;
  try {
    info = lockSchema.parse(JSON.parse(raw));
  } catch {
    info = undefined;
  }
  return { raw, info };
}

/** True when the lock's holder is certainly gone (or the file is garbage left by a crash mid-write). */
function isStale(lockPath: string, info: LockInfo | undefined): boolean {
  if (!info) {
    // A holder writes its file right after creating it: give a half-written file a moment.
    const ageMs = Date.now() - fs.statSync(lockPath).mtimeMs;
    return ageMs > 2_000;
  }
  if (info.host !== os.hostname()) return false; // cannot see processes on another host
  if (info.pid === process.pid) return !held.has(lockPath); // e.g. pid 1 in a restarted container
  return !isAlive(info.pid);
}

export interface DataDirLock {
  release(): void;
}

/** Takes the folder's lock or throws DataDirLockedError. The folder must exist. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  const content = `${JSON.stringify(mine)}\n`;

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, content, { flag: 'wx', mode: 0o600 }); // atomic: fails if the file exists
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = readLock(lockPath);
      if (!existing) continue; // released meanwhile
      if (!isStale(lockPath, existing.info)) {
        throw new DataDirLockedError(dataDir, existing.info);
      }
      // Remove the stale file only if it is still the one we judged, then race for a fresh create.
      if (readLock(lockPath)?.raw === existing.raw) fs.rmSync(lockPath, { force: true });
      continue;
    }
    held.add(lockPath);
    const onExit = () => releaseIfMine(lockPath, content);
    process.once('exit', onExit);
    return {
      release() {
        process.removeListener('exit', onExit);
        releaseIfMine(lockPath, content);
      },
    };
  }
  throw new DataDirLockedError(dataDir, readLock(lockPath)?.info);
}

function releaseIfMine(lockPath: string, content: string): void {
  held.delete(lockPath);
  if (readLock(lockPath)?.raw === content) fs.rmSync(lockPath, { force: true });
}

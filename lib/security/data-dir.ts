// The data folder (DATA_DIR: the embedded database, uploads in progress, the session secret) belongs to
// the server's user alone. Folders are created 0700; at start every existing folder is set to 0700 and
// every file to 0600, whatever an earlier version or a usual umask left (PGlite itself creates its files
// 0666). A file created later inside is unreachable for other users anyway: every folder above it is 0700.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) as private folders. */
export function mkdirPrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Makes `root` and everything in it private: folders 0700, files 0600. Symbolic links are left alone (and
 * not followed). Creates `root` when missing. Returns how many entries had their mode changed.
 */
export function makePrivate(root: string): number {
  let changed = 0;
  try {
    if ((fs.statSync(root).mode & 0o777) !== PRIVATE_DIR_MODE) changed++;
  } catch {
    // Missing: created below.
  }
  mkdirPrivate(root);
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const at = path.join(dir, entry.name);
      const want = entry.isDirectory() ? PRIVATE_DIR_MODE : entry.isFile() ? PRIVATE_FILE_MODE : undefined;
      if (want === undefined) continue;
      try {
        if ((fs.lstatSync(at).mode & 0o777) !== want) {
          fs.chmodSync(at, want);
          changed++;
        }
      } catch (error) {
        // Removed meanwhile (e.g. a temporary file): nothing to protect.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (entry.isDirectory()) walk(at);
    }
  };
  walk(root);
  return changed;
}

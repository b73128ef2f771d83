// Starts bench/bare-proxy.mjs (the floor under any proxy: node:http piping bytes untouched) in its own
// process, so a bench can compare the app with it and read its CPU.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../tests/support/server-process';

export interface BareProxy {
  /** The simulator's URL (path included) through the proxy. */
  url: string;
  /** Its process, for a CPU reading. */
  pid: number;
  close(): void;
}

/** Starts bench/bare-proxy.mjs in front of `upstreamUrl`; resolves once it listens. */
export async function startBareProxy(upstreamUrl: string): Promise<BareProxy> {
  const port = await freePort();
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bare-proxy.mjs');
  const { origin, pathname } = new URL(upstreamUrl);
  const child = spawn(process.execPath, [script, String(port), origin], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Its "ready", or its exit (a port taken, a bad argument) as an error rather than a bench that waits forever.
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`bench/bare-proxy.mjs exited (${code}) before listening`);
  });
  exited.catch(() => {}); // once it listens, its exit is close()'s doing
  await Promise.race([once(child.stdout, 'data'), exited]);
  return { url: `http://127.0.0.1:${port}${pathname === '/' ? '' : pathname}`, pid: child.pid!, close: () => child.kill('SIGKILL') };
}

// The suite runs on the project's pinned Node (the `node` package), not on whatever the machine has: the
// test process, its worker threads, and what npm scripts and our own spawns start (`node`, `npx tsx` —
// next, tsx, vitest and playwright all start through `#!/usr/bin/env node`, i.e. the first node on PATH).
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR, nodeMajor, PINNED_NODE_VERSION, runtimeProblem } from '@/scripts/runtime';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

describe('runtime', () => {
  it('pins a Node the engines field allows', () => {
    expect(MIN_NODE_MAJOR).toBeGreaterThanOrEqual(24);
    expect(nodeMajor(PINNED_NODE_VERSION)).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
  });

  it('runs the tests on the pinned Node', () => {
    expect(process.versions.node).toBe(PINNED_NODE_VERSION);
  });

  it('runs worker threads on it', async () => {
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage(process.versions.node)", { eval: true });
    const version = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect(version).toBe(PINNED_NODE_VERSION);
  });

  it('starts `node` and `npx tsx` children on it', async () => {
    const { stdout: plain } = await run('node', ['-p', 'process.versions.node'], { cwd: root });
    expect(plain.trim()).toBe(PINNED_NODE_VERSION);
    const { stdout: viaTsx } = await run('npx', ['tsx', '-e', 'console.log(process.versions.node)'], { cwd: root });
    expect(viaTsx.trim()).toBe(PINNED_NODE_VERSION);
  });

  it('starts the tools through the first node on PATH', () => {
    for (const bin of ['next', 'tsx', 'vitest', 'playwright']) {
      const script = realpathSync(path.join(root, 'node_modules/.bin', bin));
      expect(readFileSync(script, 'utf8').split('\n')[0], bin).toBe('#!/usr/bin/env node');
    }
  });

  it('refuses a Node older than engines allows, naming the way out', () => {
    expect(runtimeProblem('20.20.2')).toMatch(/older than 24: run through npm/);
    expect(runtimeProblem(`${MIN_NODE_MAJOR}.0.0`)).toBeNull();
  });
});

// Extraction off the server's own thread. Each file is read in a worker thread with its own heap limit
// and a wall-clock limit, so a file that needs too much memory or time ends that worker — answered as
// document_too_large — and never the server: other users' chats and /api/health go on.
//
// A small pool: at most WORKER_CONCURRENCY files at once (more wait their turn), workers reused while
// busy and ended after a short idle time. The worker's entry is loaded from the source tree by path
// (lib/documents/worker/bootstrap.mjs, found from the working directory, as migrations are), not from
// Next.js's bundle: bundled server code moves, the source tree does not.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { processSingleton } from '@/lib/singleton';
import { DocumentError, documentTooLarge } from './errors';
import type { Extraction } from './extract';
import { WORKER_CONCURRENCY, WORKER_HEAP_MB, WORKER_TIMEOUT_MS, WORKER_YOUNG_MB } from './limits';
import type { WorkerReply, WorkerRequest } from './worker/protocol';

const IDLE_MS = 30_000;

export interface SandboxLimits {
  heapMb: number;
  timeoutMs: number;
}

/** Written so that no bundler can follow it (Turbopack traces `path.resolve('lib', …)` and bundles the file). */
const ENTRY = ['lib', 'documents', 'worker', 'bootstrap.mjs'].join('/');

function entryPath(): string {
  const file = path.join(process.cwd(), ...ENTRY.split('/'));
  if (!existsSync(file)) throw new Error(`The document extraction worker is missing: ${file} (start the server from the project folder)`);
  return file;
}

interface Slot {
  worker: Worker;
  idleTimer?: NodeJS.Timeout;
}

class ExtractionPool {
  private idle: Slot[] = [];
  private running = 0;
  private queue: Array<() => void> = [];
  private nextId = 1;

  constructor(private readonly limits: () => SandboxLimits) {}

  private spawn(): Slot {
    const { heapMb } = this.limits();
    const worker = new Worker(/* turbopackIgnore: true */ /* webpackIgnore: true */ entryPath(), {
      // Not the server's flags (e.g. tsx's loader, --max-old-space-size): the entry registers what it needs.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(WORKER_YOUNG_MB, heapMb) },
    });
    const slot: Slot = { worker };
    // An idle worker that dies (or errors) is simply dropped.
    worker.on('error', () => this.drop(slot));
    worker.on('exit', () => this.drop(slot));
    return slot;
  }

  private drop(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    this.idle = this.idle.filter((s) => s !== slot);
  }

  private async acquire(): Promise<void> {
    if (this.running < WORKER_CONCURRENCY) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next)
      next(); // the slot passes on: running stays the same
    else this.running--;
  }

  private park(slot: Slot): void {
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      this.drop(slot);
      void slot.worker.terminate();
    }, IDLE_MS);
    slot.idleTimer.unref();
    this.idle.push(slot);
  }

  async run(job: Omit<WorkerRequest, 'id'>): Promise<Extract<WorkerReply, { ok: true }>> {
    await this.acquire();
    try {
      let slot = this.idle.pop();
      if (slot) clearTimeout(slot.idleTimer);
      slot ??= this.spawn();
      slot.worker.ref();
      const { reply, reusable } = await this.send(slot, { ...job, id: this.nextId++ });
      if (reusable) this.park(slot);
      if (reply.ok) return reply;
      if (reply.code) throw new DocumentError(reply.code, reply.params, reply.detail);
      throw new Error(`document extraction failed in the worker: ${reply.internal}`);
    } finally {
      this.release();
    }
  }

  private send(slot: Slot, request: WorkerRequest): Promise<{ reply: WorkerReply; reusable: boolean }> {
    const { worker } = slot;
    const { heapMb, timeoutMs } = this.limits();
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const end = (error: Error) => {
        cleanup();
        void worker.terminate();
        reject(error);
      };
      const timer = setTimeout(() => end(documentTooLarge(`not read within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (reply: WorkerReply) => {
        if (reply?.id !== request.id) return;
        cleanup();
        resolve({ reply, reusable: true });
      };
      const onError = (error: Error & { code?: string }) => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') end(documentTooLarge(`needed more than ${heapMb} MB of memory to read`));
        else end(new Error(`document extraction worker failed: ${error.message}`));
      };
      const onExit = (code: number) => end(new Error(`document extraction worker exited (${code})`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(request);
    });
  }
}

const defaults = (): SandboxLimits => ({ heapMb: WORKER_HEAP_MB, timeoutMs: WORKER_TIMEOUT_MS });

// One pool per process, whatever number of bundled copies of this module Next.js loads.
const pool = () => processSingleton('documents.extractionPool', () => new ExtractionPool(defaults));

/** Extracts the file at `filePath` (named `name`) in a worker; DocumentError as extractText throws them. */
export async function extractInSandbox(name: string, filePath: string): Promise<Extraction> {
  const reply = await pool().run({ kind: 'extract', name, path: filePath });
  if (reply.kind !== 'extract') throw new Error('unexpected worker reply');
  return { text: reply.text, mediaType: reply.mediaType, pages: reply.pages };
}

/** The file's media type (detectType's checks and errors), decided in a worker: it may decode the whole file. */
export async function detectInSandbox(name: string, filePath: string): Promise<string> {
  const reply = await pool().run({ kind: 'detect', name, path: filePath });
  if (reply.kind !== 'detect') throw new Error('unexpected worker reply');
  return reply.mediaType;
}

/** A pool with other limits, for tests of the limits themselves. */
export function createExtractionSandbox(limits: SandboxLimits) {
  const own = new ExtractionPool(() => limits);
  return {
    extract: async (name: string, filePath: string) => {
      const reply = await own.run({ kind: 'extract', name, path: filePath });
      return reply.kind === 'extract' ? { text: reply.text, mediaType: reply.mediaType, pages: reply.pages } : undefined;
    },
  };
}

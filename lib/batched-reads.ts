// Reads of many keys as one statement when they come together. A burst of cold sessions (a whole team's
// first clicks in the same second) would otherwise queue one statement per user for the session and one
// for the quota, each a round trip through the pool and the server's one thread. Keys asked for while a
// read runs wait for it and then go together; a key asked for with no read running is read on the next
// microtask (no timer), with any others asked for in the same tick.

/** The most keys in one statement; more wait for the next. */
const MAX_KEYS = 500;
/**
 * How long new keys wait for a running read. A read still running after this (a stuck connection, a
 * database under a lock) no longer holds anyone back: keys asked for after it are read without it.
 */
const HOLD_MS = 1_000;

interface Waiting<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
  promise: Promise<V>;
}

export interface BatchedReads<K, V> {
  /** The value for `key`, read with the other keys asked for meanwhile; `missing` when the read found none. */
  read(key: K): Promise<V>;
}

/**
 * `readMany` reads every given key in one go and answers them in the keys' order; a key it answers with
 * `undefined` (or leaves out) gets `missing`. A key waiting for a read is asked for once however many
 * callers wait for it (`keyOf`: equal keys, equal strings); a key asked for again once its read has
 * started is read again. A read's failure reaches every caller of that read, and the next read goes ahead.
 */
export function batchedReads<K, V>(options: {
  readMany: (keys: K[]) => Promise<ReadonlyArray<V | undefined>>;
  keyOf: (key: K) => string;
  missing: V;
  maxKeys?: number;
  holdMs?: number;
}): BatchedReads<K, V> {
  const { readMany, keyOf, missing, maxKeys = MAX_KEYS, holdMs = HOLD_MS } = options;
  /** Keys waiting for the next read, by their string key. */
  const waiting = new Map<string, Waiting<K, V>>();
  /** The read new keys wait for (running, and younger than holdMs), if any. */
  let holding: object | null = null;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || holding || waiting.size === 0) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (!holding && waiting.size > 0) startRead();
    });
  }

  function startRead(): void {
    const batch = [...waiting.values()].slice(0, maxKeys);
    for (const entry of batch) waiting.delete(keyOf(entry.key));
    const read = {};
    holding = read;
    const release = () => {
      if (holding !== read) return;
      holding = null;
      schedule();
    };
    const timer = setTimeout(release, holdMs);
    timer.unref?.();
    void (async () => {
      try {
        const values = await readMany(batch.map((entry) => entry.key));
        for (const [i, entry] of batch.entries()) {
          const value = values[i];
          entry.resolve(value === undefined ? missing : value);
        }
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      } finally {
        clearTimeout(timer);
        release();
      }
    })();
  }

  return {
    read(key) {
      const id = keyOf(key);
      const queued = waiting.get(id);
      if (queued) return queued.promise;
      let resolve!: (value: V) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<V>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      waiting.set(id, { key, resolve, reject, promise });
      schedule();
      return promise;
    },
  };
}

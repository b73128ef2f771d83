// Reads of many keys as one statement when they come together. A burst of cold sessions (a whole team's
// first clicks in the same second) would otherwise queue one statement per user for the session and one
// for the quota, each a round trip through the pool and the server's one thread. Keys asked for while a
// read runs wait for it and then go together; a lone key is read as soon as it is asked (no timer), so a
// quiet server reads exactly as before.

/** The most keys in one statement; more wait for the next. */
const MAX_KEYS = 500;

interface Waiter<V> {
  promise: Promise<V>;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

export interface BatchedReads<K, V> {
  /** The value for `key`, read with the other keys asked for meanwhile; `missing` when the read found none. */
  read(key: K): Promise<V>;
}

/**
 * `readMany` reads every given key in one go and answers them in the keys' order; a key it answers with
 * `undefined` (or leaves out) gets `missing`. A key is asked for once however many callers wait for it
 * (`keyOf`: equal keys, equal strings). At most one read runs at a time; its failure reaches every caller
 * of that read, and the next read goes ahead.
 */
export function batchedReads<K, V>(options: {
  readMany: (keys: K[]) => Promise<ReadonlyArray<V | undefined>>;
  keyOf: (key: K) => string;
  missing: V;
  maxKeys?: number;
}): BatchedReads<K, V> {
  const { readMany, keyOf, missing, maxKeys = MAX_KEYS } = options;
  /** Keys waiting for the next read, by their string key (one caller's key asked twice reads once). */
  const waiting = new Map<string, { key: K; waiter: Waiter<V> }>();
  let running = false;

  async function runReads(): Promise<void> {
    running = true;
    try {
      while (waiting.size > 0) {
        const batch = [...waiting].slice(0, maxKeys);
        for (const [id] of batch) waiting.delete(id);
        try {
          const values = await readMany(batch.map(([, { key }]) => key));
          for (const [i, [, { waiter }]] of batch.entries()) {
            const value = values[i];
            waiter.resolve(value === undefined ? missing : value);
          }
        } catch (error) {
          for (const [, { waiter }] of batch) waiter.reject(error);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    read(key) {
      const id = keyOf(key);
      const queued = waiting.get(id);
      if (queued) return queued.waiter.promise;
      let resolve!: (value: V) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<V>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      waiting.set(id, { key, waiter: { promise, resolve, reject } });
      // A microtask, not at once: keys asked for in the same tick (Promise.all over several users) go in one read.
      if (!running) {
        running = true;
        queueMicrotask(() => void runReads());
      }
      return promise;
    },
  };
}

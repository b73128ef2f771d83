// The process caches' two pieces: a small LRU map with per-entry expiry, and one read shared by every
// caller that misses while it runs.

/** A small LRU map with per-entry expiry. Map keeps insertion order, so the first key is the least recent. */
export class ExpiringLru<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(readonly maxEntries: number) {}

  get(key: K, now = Date.now()): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, expiresAt: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}

/**
 * One read for every caller that misses the cache while it runs (`loading` holds the reads in flight);
 * `fill` caches its result unless the key was dropped from `loading` meanwhile (a forget during the read:
 * the next caller reads again). Its failure reaches every caller that shared it.
 */
export function sharedLoad<K, V>(loading: Map<K, Promise<V>>, key: K, load: () => Promise<V>, fill: (value: V) => void): Promise<V> {
  const running = loading.get(key);
  if (running) return running;
  const ours = (): boolean => loading.get(key) === pending;
  const pending: Promise<V> = load().then(
    (value) => {
      if (ours()) {
        loading.delete(key);
        fill(value);
      }
      return value;
    },
    (error: unknown) => {
      if (ours()) loading.delete(key);
      throw error;
    },
  );
  loading.set(key, pending);
  return pending;
}

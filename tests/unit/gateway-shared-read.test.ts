// The gateway's caches share one read among the callers that miss while it runs, and a forget during the
// read keeps its (possibly stale) result out of the cache.
import { describe, expect, it } from 'vitest';
import {
  accessSlot,
  cacheReads,
  forgetApiAccess,
  forgetInstanceSwitch,
  forgetKey,
  INSTANCE_SLOT,
  keySlot,
  sharedRead,
} from '@/lib/gateway/key-cache';

/** A read the test answers when it chooses (each started read by its number), counting how often it was started. */
function controlledRead<T>() {
  const pending: Array<{ resolve: (value: T) => void; reject: (error: Error) => void }> = [];
  const read = () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject }));
  return {
    read,
    started: () => pending.length,
    answer: (n: number, value: T) => pending[n]!.resolve(value),
    fail: (n: number, error: Error) => pending[n]!.reject(error),
  };
}

describe('sharedRead', () => {
  it('fifty concurrent misses start one read, all get its value, and the cache is filled once', async () => {
    const read = controlledRead<boolean>();
    const filled: boolean[] = [];
    const calls = Array.from({ length: 50 }, () => sharedRead(accessSlot('u1'), read.read, (value) => filled.push(value)));
    expect(read.started()).toBe(1);
    read.answer(0, true);
    expect(await Promise.all(calls)).toEqual(Array(50).fill(true));
    expect(filled).toEqual([true]);
    // Done: the next miss reads again.
    const again = sharedRead(accessSlot('u1'), read.read, (value) => filled.push(value));
    expect(read.started()).toBe(2);
    read.answer(1, false);
    expect(await again).toBe(false);
    expect(filled).toEqual([true, false]);
  });

  it('a forget during the read keeps its result out of the cache, and the next caller reads anew', async () => {
    const read = controlledRead<boolean>();
    const filled: boolean[] = [];
    const before = sharedRead(accessSlot('u2'), read.read, (value) => filled.push(value));
    forgetApiAccess('u2'); // e.g. an admin switched the user's API access off meanwhile
    const after = sharedRead(accessSlot('u2'), read.read, (value) => filled.push(value));
    expect(read.started()).toBe(2);
    read.answer(1, false); // the second read: the switch as it is now
    expect(await after).toBe(false);
    expect(filled).toEqual([false]);
    // The first read answers last, with the value from before the change: its caller gets it, the cache does not.
    read.answer(0, true);
    expect(await before).toBe(true);
    expect(filled).toEqual([false]);
    expect(cacheReads.has(accessSlot('u2'))).toBe(false);
  });

  it('a failed read reaches every caller sharing it and leaves no entry behind', async () => {
    const read = controlledRead<boolean>();
    const calls = [1, 2, 3].map(() => sharedRead(INSTANCE_SLOT, read.read, () => {}));
    read.fail(0, new Error('the database is down'));
    for (const call of calls) await expect(call).rejects.toThrow('the database is down');
    expect(cacheReads.has(INSTANCE_SLOT)).toBe(false);
    expect(read.started()).toBe(1);
  });

  it('forgetting a key or the instance switch drops its read in flight too', () => {
    const read = controlledRead<boolean>();
    void sharedRead(keySlot('h1'), read.read, () => {});
    void sharedRead(INSTANCE_SLOT, read.read, () => {});
    forgetKey('h1');
    forgetInstanceSwitch();
    expect(cacheReads.has(keySlot('h1'))).toBe(false);
    expect(cacheReads.has(INSTANCE_SLOT)).toBe(false);
    read.answer(0, true);
    read.answer(1, true);
  });
});

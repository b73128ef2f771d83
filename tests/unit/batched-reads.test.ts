// Reads of many keys as one: keys asked for together, or while a read runs, share a read; a lone key is
// read at once.
import { describe, expect, it } from 'vitest';
import { batchedReads } from '@/lib/batched-reads';

/** A read that answers only when told to, recording what each read was asked for. */
function controlledReads<V>(answer: (key: string) => V | undefined) {
  const calls: string[][] = [];
  const pending: Array<{ release: () => void; fail: (error: unknown) => void }> = [];
  const reads = batchedReads<string, V | null>({
    keyOf: (key) => key,
    missing: null,
    readMany: (keys) => {
      calls.push(keys);
      return new Promise((resolve, reject) => {
        pending.push({ release: () => resolve(keys.map(answer)), fail: reject });
      });
    },
  });
  /** Lets the queued microtasks (a read's start, its answers) run. */
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return { reads, calls, pending, tick };
}

describe('batched reads', () => {
  it('reads a lone key at once, by itself', async () => {
    const { reads, calls, pending, tick } = controlledReads((key) => `value of ${key}`);
    const value = reads.read('a');
    await tick();
    expect(calls).toEqual([['a']]);
    pending[0]!.release();
    expect(await value).toBe('value of a');
  });

  it('reads keys asked for in the same tick together, each answered with its own value', async () => {
    const { reads, calls, pending, tick } = controlledReads((key) => `value of ${key}`);
    const values = Promise.all(['a', 'b', 'c'].map((key) => reads.read(key)));
    await tick();
    expect(calls).toEqual([['a', 'b', 'c']]);
    pending[0]!.release();
    expect(await values).toEqual(['value of a', 'value of b', 'value of c']);
  });

  it('holds keys asked for during a read for one read after it, and asks for a key once', async () => {
    const { reads, calls, pending, tick } = controlledReads((key) => `value of ${key}`);
    const first = reads.read('a');
    await tick();
    const later = [reads.read('b'), reads.read('c'), reads.read('b')];
    await tick();
    expect(calls).toEqual([['a']]); // not while the first read runs
    pending[0]!.release();
    await tick();
    expect(calls).toEqual([['a'], ['b', 'c']]);
    pending[1]!.release();
    expect(await first).toBe('value of a');
    expect(await Promise.all(later)).toEqual(['value of b', 'value of c', 'value of b']);
  });

  it('answers a key the read did not find with the missing value', async () => {
    const { reads, pending, tick } = controlledReads((key) => (key === 'known' ? 'found' : undefined));
    const values = Promise.all([reads.read('known'), reads.read('unknown')]);
    await tick();
    pending[0]!.release();
    expect(await values).toEqual(['found', null]);
  });

  it('fails every caller of a failed read, and the next read goes ahead', async () => {
    const { reads, calls, pending, tick } = controlledReads((key) => `value of ${key}`);
    const failed = [reads.read('a'), reads.read('b')];
    await tick();
    const next = reads.read('c');
    pending[0]!.fail(new Error('connection lost'));
    for (const value of failed) await expect(value).rejects.toThrow('connection lost');
    await tick();
    expect(calls).toEqual([['a', 'b'], ['c']]);
    pending[1]!.release();
    expect(await next).toBe('value of c');
  });

  it('a read throwing before its promise fails its callers the same way', async () => {
    const reads = batchedReads<string, string>({
      keyOf: (key) => key,
      missing: '',
      readMany: () => {
        throw new Error('no database');
      },
    });
    await expect(reads.read('a')).rejects.toThrow('no database');
    await expect(reads.read('b')).rejects.toThrow('no database');
  });

  it('reads at most maxKeys keys at a time', async () => {
    const calls: string[][] = [];
    const reads = batchedReads<string, string>({
      keyOf: (key) => key,
      missing: '',
      maxKeys: 2,
      readMany: async (keys) => {
        calls.push(keys);
        return keys.map((key) => key.toUpperCase());
      },
    });
    expect(await Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => reads.read(key)))).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});

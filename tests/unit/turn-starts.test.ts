// Titles yield to the chat turns that arrived before them and still wait for their first words.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterEarlierTurnStarts, beginTurnStart, pendingTurnStarts, type TurnStart, turnStartWaiters } from '@/lib/chat/turn-starts';

/** Whether the promise has settled after the pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('turn starts', () => {
  const open: TurnStart[] = [];
  const begin = () => {
    const start = beginTurnStart();
    open.push(start);
    return start;
  };
  afterEach(() => {
    for (const start of open.splice(0)) start.end();
    expect(pendingTurnStarts()).toBe(0);
    expect(turnStartWaiters()).toBe(0);
  });

  it('a waiter with no turn before it goes at once', async () => {
    expect(await settled(afterEarlierTurnStarts(10_000))).toBe(true);
  });

  it('waits for every earlier turn, in any order of their first words', async () => {
    const a = begin();
    const b = begin();
    const c = begin();
    const waiter = afterEarlierTurnStarts(10_000);
    b.end();
    expect(await settled(waiter)).toBe(false);
    a.end();
    expect(await settled(waiter)).toBe(false);
    c.end();
    expect(await settled(waiter)).toBe(true);
  });

  it('does not wait for turns that arrive after it', async () => {
    const a = begin();
    const waiter = afterEarlierTurnStarts(10_000);
    const later = begin();
    a.end();
    expect(await settled(waiter)).toBe(true);
    expect(pendingTurnStarts()).toBe(1);
    later.end();
  });

  it('releases waiters in their own turn: a later waiter may wait for more', async () => {
    const a = begin();
    const first = afterEarlierTurnStarts(10_000);
    const b = begin();
    const second = afterEarlierTurnStarts(10_000);
    a.end();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    b.end();
    expect(await settled(second)).toBe(true);
  });

  it('a turn that never has its first words holds a waiter no longer than its limit', async () => {
    begin();
    const before = performance.now();
    await afterEarlierTurnStarts(50);
    expect(performance.now() - before).toBeGreaterThanOrEqual(45);
    // The timed-out waiter is gone from the queue.
    expect(turnStartWaiters()).toBe(0);
    const next = afterEarlierTurnStarts(10_000);
    for (const start of open) start.end();
    expect(await settled(next)).toBe(true);
  });

  it('an aborted signal ends the wait at once, and a waiter given one already aborted does not wait', async () => {
    const a = begin();
    const answerEnded = new AbortController();
    const waiter = afterEarlierTurnStarts(10_000, answerEnded.signal);
    expect(await settled(waiter)).toBe(false);
    answerEnded.abort();
    expect(await settled(waiter)).toBe(true);
    expect(await settled(afterEarlierTurnStarts(10_000, answerEnded.signal))).toBe(true);
    // The abandoned waiter is gone from the queue; a later one still waits for the turn.
    expect(turnStartWaiters()).toBe(0);
    const later = afterEarlierTurnStarts(10_000);
    expect(await settled(later)).toBe(false);
    a.end();
    expect(await settled(later)).toBe(true);
  });

  it('a waiter given up in the middle of the queue leaves the others in their places', async () => {
    const a = begin();
    const first = afterEarlierTurnStarts(10_000);
    const b = begin();
    const answerEnded = new AbortController();
    const second = afterEarlierTurnStarts(10_000, answerEnded.signal);
    const c = begin();
    const third = afterEarlierTurnStarts(10_000);
    expect(turnStartWaiters()).toBe(3);
    answerEnded.abort();
    expect(await settled(second)).toBe(true);
    expect(turnStartWaiters()).toBe(2);
    a.end();
    expect(await settled(first)).toBe(true);
    expect(await settled(third)).toBe(false);
    b.end();
    expect(await settled(third)).toBe(false);
    c.end();
    expect(await settled(third)).toBe(true);
  });

  it('a turn still starting after 10 s no longer holds waiters back', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      begin(); // a slow upload, say: it never has its first words in this test
      vi.advanceTimersByTime(10_001);
      const fresh = begin();
      const waiter = afterEarlierTurnStarts(60_000);
      expect(await settled(waiter)).toBe(false); // the fresh turn still holds it
      fresh.end();
      expect(await settled(waiter)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ending a turn twice counts once', async () => {
    const a = begin();
    const b = begin();
    a.end();
    a.end();
    expect(pendingTurnStarts()).toBe(1);
    const waiter = afterEarlierTurnStarts(10_000);
    expect(await settled(waiter)).toBe(false);
    b.end();
    expect(await settled(waiter)).toBe(true);
  });
});

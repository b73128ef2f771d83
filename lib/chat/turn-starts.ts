// Chat turns between their arrival and their first words, in arrival order, so that work which can wait
// (a new conversation's title) yields to them. At a team's busiest minute every user's first turn comes at
// once; each title took the server's one thread from a turn still waiting for its first words (measured:
// with titles off, that burst's p99 halved). A waiter yields only to the turns that arrived before it, so
// a steady stream of new turns cannot hold it back, and never longer than its own limit.
import 'server-only';
import { processSingleton } from '@/lib/singleton';

export interface TurnStart {
  /** The turn's first words are about to go out, or it ended without any. Safe to call more than once. */
  end(): void;
}

/**
 * A turn still starting after this long waits on something other than this server (a slow upload, Kimi
 * reading a long document): waiters stop yielding to it. It also bounds what a start never ended could cost.
 */
const STALE_MS = 10_000;

interface State {
  /** Arrival time of each pending start, by arrival number: a Map keeps insertion order, so its first key is the oldest. */
  pending: Map<number, number>;
  arrivals: number;
  /** In arrival order, so their barriers never decrease: the ones to release are always at the front. */
  waiters: Array<{ barrier: number; release: () => void }>;
}

// One per process: Next.js may load this module once per bundle, and every copy must see every turn.
const state = processSingleton<State>('turn-starts', () => ({ pending: new Map(), arrivals: 0, waiters: [] }));

export function beginTurnStart(): TurnStart {
  const number = ++state.arrivals;
  state.pending.set(number, performance.now());
  return {
    end() {
      if (state.pending.delete(number)) releaseWaiters();
    },
  };
}

/**
 * Resolves once every turn that arrived before this call has had its first words, after `maxWaitMs`, or
 * when `signal` aborts — whichever comes first.
 */
export function afterEarlierTurnStarts(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
  const barrier = state.arrivals;
  if (oldestPending() > barrier || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const giveUp = () => {
      const at = state.waiters.indexOf(waiter);
      if (at >= 0) state.waiters.splice(at, 1);
      waiter.release();
    };
    const waiter = {
      barrier,
      release: () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        resolve();
      },
    };
    const timer = setTimeout(giveUp, maxWaitMs);
    timer.unref();
    signal?.addEventListener('abort', giveUp, { once: true });
    state.waiters.push(waiter);
  });
}

/** Turns that have not yet had their first words, stale ones not yet dropped included (tests check that none is left). */
export function pendingTurnStarts(): number {
  return state.pending.size;
}

/** Waiters still yielding (tests check that one given up is gone). */
export function turnStartWaiters(): number {
  return state.waiters.length;
}

/** The oldest pending start that is not stale; stale ones are dropped (their `end` is then a no-op). */
function oldestPending(): number {
  const now = performance.now();
  for (const [number, arrivedAt] of state.pending) {
    if (now - arrivedAt < STALE_MS) return number;
    state.pending.delete(number);
  }
  return Number.POSITIVE_INFINITY;
}

function releaseWaiters(): void {
  const oldest = oldestPending();
  let released = 0;
  while (released < state.waiters.length && state.waiters[released]!.barrier < oldest) released++;
  for (const waiter of state.waiters.splice(0, released)) waiter.release();
}

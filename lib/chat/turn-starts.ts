// Chat turns between their arrival and their first words, in arrival order, so that work which can wait
// (a new conversation's title) yields to them. At a team's busiest minute every user's first turn comes at
// once; each title took the server's one thread from a turn still waiting for its first words (measured:
// with titles off, that burst's p99 halved). A waiter yields only to the turns that arrived before it, so
// a steady stream of new turns cannot hold it back, and never longer than its own limit.
import 'server-only';

export interface TurnStart {
  /** The turn's first words went out, or it ended without any. Safe to call more than once. */
  end(): void;
}

/** Pending starts by arrival number: a Map keeps insertion order, so its first key is the oldest. */
const pending = new Map<number, true>();
let arrivals = 0;
/** In arrival order, so their barriers never decrease: the ones to release are always at the front. */
const waiters: Array<{ barrier: number; release: () => void }> = [];

export function beginTurnStart(): TurnStart {
  const number = ++arrivals;
  pending.set(number, true);
  return {
    end() {
      if (pending.delete(number)) releaseWaiters();
    },
  };
}

/**
 * Resolves once every turn that arrived before this call has had its first words, after `maxWaitMs`, or
 * when `signal` aborts — whichever comes first.
 */
export function afterEarlierTurnStarts(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
  const barrier = arrivals;
  if (oldestPending() > barrier || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const giveUp = () => {
      const at = waiters.indexOf(waiter);
      if (at >= 0) waiters.splice(at, 1);
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
    waiters.push(waiter);
  });
}

/** Turns that have not yet had their first words (for tests and diagnostics). */
export function pendingTurnStarts(): number {
  return pending.size;
}

function oldestPending(): number {
  for (const number of pending.keys()) return number;
  return Number.POSITIVE_INFINITY;
}

function releaseWaiters(): void {
  const oldest = oldestPending();
  let released = 0;
  while (released < waiters.length && waiters[released]!.barrier < oldest) released++;
  for (const waiter of waiters.splice(0, released)) waiter.release();
}

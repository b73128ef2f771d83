// Organisation-wide concurrency and requests-per-minute limits for chat requests, as Kimi's tiers.
// Waits are computed from what is known: the oldest admission in the RPM window, and for concurrency
// the earliest planned end of an active request (its pacing is known in advance).
import type { RateLimit } from './options';

export type Admission = { ok: true; release: () => void } | { ok: false; limit: 'concurrency' | 'RPM'; value: number; waitSeconds: number };

const WINDOW_MS = 60_000;
const noop = () => {};

export class RateLimiter {
  private readonly activeEnds = new Set<{ end: number }>();
  private admitted: number[] = [];

  constructor(private readonly limits: RateLimit | undefined) {}

  /** `expectedMs`: how long the request should take, for the concurrency wait estimate. */
  admit(expectedMs: number, now = Date.now()): Admission {
    const limits = this.limits;
    if (!limits) return { ok: true, release: noop };
    if (this.activeEnds.size >= limits.concurrency) {
      let earliest = Infinity;
      for (const slot of this.activeEnds) earliest = Math.min(earliest, slot.end);
      return { ok: false, limit: 'concurrency', value: limits.concurrency, waitSeconds: waitSeconds(earliest - now) };
    }
    const cutoff = now - WINDOW_MS;
    let drop = 0;
    while (drop < this.admitted.length && (this.admitted[drop] as number) <= cutoff) drop++;
    if (drop) this.admitted = this.admitted.slice(drop);
    if (this.admitted.length >= limits.rpm) {
      const oldest = this.admitted[this.admitted.length - limits.rpm] as number;
      return { ok: false, limit: 'RPM', value: limits.rpm, waitSeconds: waitSeconds(oldest + WINDOW_MS - now) };
    }
    this.admitted.push(now);
    const slot = { end: now + expectedMs };
    this.activeEnds.add(slot);
    return { ok: true, release: () => this.activeEnds.delete(slot) };
  }
}

/** Kimi names whole seconds, at least 1. */
function waitSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

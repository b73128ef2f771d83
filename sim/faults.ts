// Fault injection. Grammar (comma-separated, whitespace ignored):
//   server_error | overloaded | quota | content_filter | rate_limit[:SECONDS]   → the request fails with that error
//   drop:N         destroy the socket after N stream events (non-streaming: no response at all)
//   stall:MS       pause MS after the first event carrying text (non-streaming: added to the wait)
//   slow_first:MS  wait MS before the first token (non-streaming: added to the wait)
//   error_event:N  after N stream events send `data: {"error":…}` and end (non-streaming: a 500)
//   linger:MS      keep the stream open MS after its last event (`data: [DONE]`) before ending it
// Sources, merged in this order (later wins per key): the `faults` option, the next queued entry
// (POST /sim/faults), the request's `x-sim-fault` header.
import { contentFilter, overloaded, quotaExceeded, rateLimited, type SimError, serverError } from './errors';

export type ErrorFault = 'server_error' | 'overloaded' | 'quota' | 'content_filter' | 'rate_limit';

export interface FaultPlan {
  error?: { kind: ErrorFault; seconds: number };
  dropAfter?: number;
  stallMs?: number;
  slowFirstMs?: number;
  errorEventAfter?: number;
  lingerMs?: number;
}

const ERRORS = new Set<string>(['server_error', 'overloaded', 'quota', 'content_filter', 'rate_limit']);
const VALUED = new Set<string>(['drop', 'stall', 'slow_first', 'error_event', 'linger']);

/** Parse a fault spec; throws a message naming the bad part. */
export function parseFaults(spec: string): FaultPlan {
  const plan: FaultPlan = {};
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const [name = '', arg] = part.split(':', 2);
    const num = arg === undefined ? undefined : Number(arg);
    if (num !== undefined && (!Number.isFinite(num) || num < 0)) throw new Error(`bad number in fault "${part}"`);
    if (ERRORS.has(name)) {
      plan.error = { kind: name as ErrorFault, seconds: Math.ceil(num ?? 1) };
      continue;
    }
    if (!VALUED.has(name)) throw new Error(`unknown fault "${name}"`);
    if (num === undefined) throw new Error(`fault "${name}" needs a value, e.g. ${name}:100`);
    if (name === 'drop') plan.dropAfter = Math.floor(num);
    else if (name === 'stall') plan.stallMs = num;
    else if (name === 'slow_first') plan.slowFirstMs = num;
    else if (name === 'linger') plan.lingerMs = num;
    else plan.errorEventAfter = Math.floor(num);
  }
  return plan;
}

export function mergeFaults(...plans: Array<FaultPlan | undefined>): FaultPlan | undefined {
  let merged: FaultPlan | undefined;
  for (const plan of plans) if (plan) merged = { ...merged, ...plan };
  return merged;
}

export function faultError(fault: NonNullable<FaultPlan['error']>, org: string, account: string, rpm: number): SimError {
  switch (fault.kind) {
    case 'server_error':
      return serverError();
    case 'overloaded':
      return overloaded();
    case 'quota':
      return quotaExceeded(org);
    case 'content_filter':
      return contentFilter();
    case 'rate_limit':
      return rateLimited(account, 'RPM', rpm, fault.seconds);
  }
}

interface QueuedFault {
  spec: string;
  plan: FaultPlan;
  model?: string;
}

/** Faults for the next N chat requests, consumed first-in first-out (optionally only by one model). */
export class FaultQueue {
  private entries: QueuedFault[] = [];

  push(spec: string, count: number, model?: string): void {
    const plan = parseFaults(spec);
    for (let i = 0; i < count; i++) this.entries.push({ spec, plan, ...(model ? { model } : {}) });
  }

  take(model: string): FaultPlan | undefined {
    if (this.entries.length === 0) return undefined;
    const index = this.entries.findIndex((e) => !e.model || e.model === model);
    if (index < 0) return undefined;
    return this.entries.splice(index, 1)[0]?.plan;
  }

  list(): Array<{ fault: string; model?: string }> {
    return this.entries.map((e) => ({ fault: e.spec, ...(e.model ? { model: e.model } : {}) }));
  }

  clear(): void {
    this.entries = [];
  }
}

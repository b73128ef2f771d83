// Retries of a call Kimi refused before answering: 429 rate limit (after the wait Kimi names in the
// message) and engine overloaded, 5xx, and connections that failed to open — bounded in count and total
// wait, with jittered backoff. Exceeded quota, bad requests and anything that already streamed are
// never retried: a refused call has sent no token, so a retry cannot duplicate an answer.
//
// The decisions (`connectRetryDelay`, `refusalRetryDelay`) are shared with the node:http
// upstream (lib/kimi/upstream.ts), so both retry alike.

import type { AppError } from '@/lib/errors';
import { chatErrorFromResponse, retryDelayMs } from './errors';

export interface RetryPolicy {
  maxRetries: number;
  /** Total time spent waiting between attempts, at most. */
  maxWaitMs: number;
}

const RETRYABLE_CODES = new Set<AppError['code']>(['rate_limited', 'engine_overloaded', 'upstream_error']);
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

export function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** fetch reports a connection that failed as a TypeError with the socket's code as its cause; node:http as the error itself. */
function connectFailure(error: unknown): boolean {
  const code = error instanceof TypeError ? (error.cause as { code?: string } | undefined)?.code : (error as { code?: string } | undefined)?.code;
  return CONNECT_FAILURES.has(code ?? '');
}

/** The wait before another attempt at a call whose connection failed (`waited` so far), or null: give up. */
export function connectRetryDelay(error: unknown, attempt: number, waited: number, policy: RetryPolicy): number | null {
  const delay = retryDelayMs({ code: 'upstream_error', retryable: true }, attempt);
  if (!connectFailure(error) || attempt >= policy.maxRetries || waited + delay > policy.maxWaitMs) return null;
  return delay;
}

/** A status that may be retried (its body then read to decide): 429 and 5xx, while attempts are left. */
export function mayRetryStatus(status: number, attempt: number, policy: RetryPolicy): boolean {
  return (status === 429 || status >= 500) && attempt < policy.maxRetries;
}

/** The wait before another attempt at a call Kimi refused with `status` and `body`, or null: pass the refusal on. */
export function refusalRetryDelay(status: number, body: string, attempt: number, waited: number, policy: RetryPolicy): number | null {
  const error = chatErrorFromResponse(status, body);
  const delay = retryDelayMs(error, attempt);
  // Never come back sooner than Kimi asked: if its wait does not fit, give the user its message.
  const asked = Number(error.params?.retryAfterSeconds ?? 0) * 1000;
  if (!error.retryable || !RETRYABLE_CODES.has(error.code) || waited + Math.max(delay, asked) > policy.maxWaitMs) return null;
  return delay;
}

export function retryingFetch(policy: RetryPolicy, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await base(input, init);
      } catch (error) {
        const delay = connectRetryDelay(error, attempt, waited, policy);
        if (delay === null) throw error;
        await sleep(delay, init?.signal);
        waited += delay;
        continue;
      }
      if (response.ok || !mayRetryStatus(response.status, attempt, policy)) return response;
      const body = await response.text();
      const delay = refusalRetryDelay(response.status, body, attempt, waited, policy);
      if (delay === null) return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      await sleep(delay, init?.signal);
      waited += delay;
    }
  };
}

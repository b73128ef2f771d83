// Retries of a call Kimi refused before answering: 429 rate limit (after the wait Kimi names in the
// message) and engine overloaded, 5xx, and connections that failed to open — bounded in count and total
// wait, with jittered backoff. Exceeded quota, bad requests and anything that already streamed are
// never retried: a refused call has sent no token, so a retry cannot duplicate an answer.

import type { AppError } from '@/lib/errors';
import { chatErrorFromResponse, retryDelayMs } from './errors';

export interface RetryPolicy {
  maxRetries: number;
  /** Total time spent waiting between attempts, at most. */
  maxWaitMs: number;
}

const RETRYABLE_CODES = new Set<AppError['code']>(['rate_limited', 'engine_overloaded', 'upstream_error']);
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
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

function connectFailure(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return error instanceof TypeError && CONNECT_FAILURES.has(cause?.code ?? '');
}

export function retryingFetch(policy: RetryPolicy, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await base(input, init);
      } catch (error) {
        const delay = retryDelayMs({ code: 'upstream_error', retryable: true }, attempt);
        if (!connectFailure(error) || attempt >= policy.maxRetries || waited + delay > policy.maxWaitMs) throw error;
        await sleep(delay, init?.signal);
        waited += delay;
        continue;
      }
      if (response.ok || (response.status !== 429 && response.status < 500) || attempt >= policy.maxRetries) return response;
      const body = await response.text();
      const error = chatErrorFromResponse(response.status, body);
      const delay = retryDelayMs(error, attempt);
      // Never come back sooner than Kimi asked: if its wait does not fit, give the user its message.
      const asked = Number(error.params?.retryAfterSeconds ?? 0) * 1000;
      if (!error.retryable || !RETRYABLE_CODES.has(error.code) || waited + Math.max(delay, asked) > policy.maxWaitMs) {
        return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      await sleep(delay, init?.signal);
      waited += delay;
    }
  };
}

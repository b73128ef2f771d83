import { APICallError, RetryError } from 'ai';
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, retryDelayMs, toAppError } from '@/lib/kimi/errors';

// Key-shaped on purpose (what the scrubber must catch), assembled so no key-like literal sits in source.
const KEY = ['sk', 'Abc123Def456Ghi789Jkl012Mno345Pqr678Stu901Vwx'].join('-');

/** What @ai-sdk/moonshotai's failed-response handler builds from a Kimi error response. */
function kimiError(status: number, message: string, type: string, model = 'moonshot-v1-8k'): APICallError {
  const responseBody = JSON.stringify({ error: { message, type } });
  return new APICallError({
    message,
    url: 'https://api.moonshot.cn/v1/chat/completions',
    requestBodyValues: { model, messages: [] },
    statusCode: status,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody,
    data: JSON.parse(responseBody),
  });
}

describe('toAppError: Kimi HTTP errors (bodies from kimi-api.md)', () => {
  it('400 token limit → context_too_long with window, requested and over', () => {
    const err = kimiError(400, 'Invalid request: Your request exceeded model token limit: 8192 (requested: 9120)', 'invalid_request_error');
    expect(toAppError(err)).toEqual({
      code: 'context_too_long',
      detail: 'Invalid request: Your request exceeded model token limit: 8192 (requested: 9120)',
      params: { model: 'moonshot-v1-8k', window: 8192, requested: 9120, over: 928 },
      retryable: false,
    });
  });

  it('400 invalid temperature → invalid_temperature with the allowed value', () => {
    const err = kimiError(400, 'invalid temperature: only 1 is allowed for this model', 'invalid_request_error', 'kimi-k2.5');
    expect(toAppError(err)).toMatchObject({ code: 'invalid_temperature', params: { model: 'kimi-k2.5', min: 1, max: 1 }, retryable: false });
  });

  it('400 content_filter → content_filter', () => {
    const err = kimiError(400, 'The request was rejected because it was considered high risk', 'content_filter');
    expect(toAppError(err)).toMatchObject({ code: 'content_filter', retryable: false });
  });

  it("400 other invalid request → bad_request with Kimi's words", () => {
    const err = kimiError(400, 'File size is too large, max file size is 100MB, please confirm and re-upload the file', 'invalid_request_error');
    expect(toAppError(err)).toMatchObject({ code: 'bad_request', detail: expect.stringContaining('100MB'), retryable: false });
  });

  it('401 → invalid_api_key; 404 → model_not_found naming the model', () => {
    expect(toAppError(kimiError(401, 'Invalid Authentication', 'invalid_authentication_error'))).toMatchObject({
      code: 'invalid_api_key',
      retryable: false,
    });
    const notFound = kimiError(
      404,
      'Not found the model kimi-k2-0711-preview or Permission denied',
      'resource_not_found_error',
      'kimi-k2-0711-preview',
    );
    expect(toAppError(notFound)).toMatchObject({ code: 'model_not_found', params: { model: 'kimi-k2-0711-preview' }, retryable: false });
  });

  it('429 rate limit → rate_limited with the wait from the text, retryable, the access key scrubbed', () => {
    const message = 'Your account org-abc<ak-f7d2a1c9b3e4> request reached organization max concurrency: 1, please try again after 3 seconds';
    const result = toAppError(kimiError(429, message, 'rate_limit_reached_error'));
    expect(result).toMatchObject({ code: 'rate_limited', params: { retryAfterSeconds: 3 }, retryable: true });
    expect(result.detail).toContain('max concurrency: 1');
    expect(result.detail).not.toContain('ak-f7d2a1c9b3e4');
  });

  it('429 with a day-long wait is not retried automatically', () => {
    const message =
      'Your account org-abc<ak-f7d2a1c9b3e4> request reached organization TPD rate limit, current:1000001, limit:1000000, please try again after 3600 seconds';
    expect(toAppError(kimiError(429, message, 'rate_limit_reached_error'))).toMatchObject({
      code: 'rate_limited',
      params: { retryAfterSeconds: 3600 },
      retryable: false,
    });
  });

  it('429 quota → quota_exceeded (not retryable); 429 overloaded → engine_overloaded (retryable)', () => {
    const quota = kimiError(429, 'You exceeded your current token quota: org-abc, please check your account balance', 'exceeded_current_quota_error');
    expect(toAppError(quota)).toMatchObject({ code: 'quota_exceeded', retryable: false });
    const overloaded = kimiError(429, 'The engine is currently overloaded, please try again later', 'engine_overloaded_error');
    expect(toAppError(overloaded)).toMatchObject({ code: 'engine_overloaded', retryable: true });
  });

  it('5xx → upstream_error, retryable', () => {
    expect(toAppError(kimiError(500, 'Failed to extract file: broken pdf', 'server_error'))).toMatchObject({
      code: 'upstream_error',
      retryable: true,
    });
    const html = new APICallError({
      message: 'Bad Gateway',
      url: 'x',
      requestBodyValues: {},
      statusCode: 502,
      responseBody: '<html>bad gateway</html>',
    });
    expect(toAppError(html)).toMatchObject({ code: 'upstream_error', detail: 'Bad Gateway', retryable: true });
  });

  it('RetryError → mapped from its last error', () => {
    const last = kimiError(429, 'The engine is currently overloaded, please try again later', 'engine_overloaded_error');
    const retry = new RetryError({
      message: 'Failed after 3 attempts',
      reason: 'maxRetriesExceeded',
      errors: [kimiError(500, 'x', 'server_error'), last],
    });
    expect(toAppError(retry)).toMatchObject({ code: 'engine_overloaded' });
  });

  it('never puts an API key in the detail', () => {
    const err = kimiError(401, `Invalid Authentication: key ${KEY} (Bearer ${KEY})`, 'invalid_authentication_error');
    const result = toAppError(err);
    expect(result.code).toBe('invalid_api_key');
    expect(JSON.stringify(result)).not.toContain(KEY.slice(3, 20));
  });
});

describe('toAppError: streams, networks, aborts', () => {
  it('an error event inside the stream (as the provider enqueues it) maps by type', () => {
    expect(toAppError({ message: 'The engine is currently overloaded, please try again later', type: 'engine_overloaded_error' })).toMatchObject({
      code: 'engine_overloaded',
      retryable: true,
    });
    expect(toAppError({ error: { message: 'boom', type: 'server_error' } })).toMatchObject({ code: 'upstream_error', detail: 'boom' });
  });

  it('connection refused before anything streamed → upstream_error; a drop mid-answer → stream_dropped', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const apiErr = new APICallError({
      message: 'Cannot connect to API: connect ECONNREFUSED',
      url: 'x',
      requestBodyValues: {},
      cause: refused,
      isRetryable: true,
    });
    expect(toAppError(apiErr, { streamed: false })).toMatchObject({ code: 'upstream_error', retryable: true });

    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const terminated = new TypeError('terminated', { cause: socket });
    expect(toAppError(terminated, { streamed: true })).toMatchObject({ code: 'stream_dropped', retryable: true });
    expect(toAppError(terminated, { streamed: false })).toMatchObject({ code: 'upstream_error', retryable: true });
  });

  it('timeouts → upstream_timeout; aborts → interrupted; our own bugs → internal', () => {
    expect(toAppError(new DOMException('chunk timeout of 100ms exceeded', 'TimeoutError'))).toMatchObject({
      code: 'upstream_timeout',
      retryable: true,
    });
    const headers = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(toAppError(new TypeError('fetch failed', { cause: headers }))).toMatchObject({ code: 'upstream_timeout' });
    expect(toAppError(new DOMException('This operation was aborted', 'AbortError'))).toMatchObject({ code: 'interrupted' });
    expect(toAppError({ type: 'abort', reason: 'Chunk timeout of 300ms exceeded' })).toMatchObject({ code: 'upstream_timeout', retryable: true });
    expect(toAppError({ type: 'abort' })).toMatchObject({ code: 'interrupted' });
    expect(toAppError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toEqual({ code: 'internal', retryable: false });
  });
});

describe('retryDelayMs', () => {
  it("honours Kimi's wait", () => {
    expect(retryDelayMs({ code: 'rate_limited', params: { retryAfterSeconds: 3 }, retryable: true }, 0)).toBe(3000);
    expect(retryDelayMs({ code: 'rate_limited', params: { retryAfterSeconds: 3600 }, retryable: false }, 0)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('otherwise full jitter within an exponentially growing, bounded ceiling', () => {
    const error = { code: 'engine_overloaded' as const, retryable: true };
    const ceilings = [0, 1, 2, 3, 10, 50].map((attempt) => retryDelayMs(error, attempt, () => 0.999999));
    for (let i = 1; i < ceilings.length; i++) expect(ceilings[i]).toBeGreaterThanOrEqual(ceilings[i - 1] ?? 0);
    expect(ceilings[1]).toBeGreaterThan(ceilings[0] ?? 0);
    expect(Math.max(...ceilings)).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(error, 5, () => 0)).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(error, i % 12);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
    }
  });
});

// The gateway's refusals in Kimi's own error shape (`{"error":{"message","type"}}`) and status codes, so
// the official clients and Kimi tools read them as they read Kimi's.
export type KimiErrorType =
  | 'invalid_request_error'
  | 'invalid_authentication_error'
  | 'permission_denied_error'
  | 'rate_limit_reached_error'
  | 'exceeded_current_quota_error'
  | 'resource_not_found_error'
  | 'server_error';

export function kimiError(status: number, type: KimiErrorType, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { message, type } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export const invalidRequest = (message: string) => kimiError(400, 'invalid_request_error', `Invalid request: ${message}`);

/** Kimi words its waits "please try again after N seconds"; clients that parse it get ours too. */
export function rateLimited(retryAfterSeconds: number): Response {
  return kimiError(
    429,
    'rate_limit_reached_error',
    `Your API rate limit on this Kimi Chat instance was reached, please try again after ${retryAfterSeconds} seconds`,
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export function quotaExceeded(resetsAt: Date, now = Date.now()): Response {
  const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now) / 1000));
  return kimiError(
    429,
    'exceeded_current_quota_error',
    `Your monthly quota on this Kimi Chat instance is used up; it resets at ${resetsAt.toISOString()}`,
    { 'retry-after': String(seconds), 'x-quota-reset': resetsAt.toISOString() },
  );
}

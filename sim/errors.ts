// Kimi's error bodies: `{"error":{"message","type"}}`. Messages marked (unconfirmed) in README are ours.

export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }

  body(): string {
    return JSON.stringify({ error: { message: this.message, type: this.type } });
  }
}

export const invalidRequest = (message: string) => new SimError(400, 'invalid_request_error', message);

export const tokenLimit = (window: number, requested: number) =>
  invalidRequest(`Invalid request: Your request exceeded model token limit: ${window} (requested: ${requested})`);

export const invalidAuth = () => new SimError(401, 'invalid_authentication_error', 'Invalid Authentication');

export const modelNotFound = (id: string) => new SimError(404, 'resource_not_found_error', `Not found the model ${id} or Permission denied`);

export const notFound = (message: string) => new SimError(404, 'resource_not_found_error', message);

export const contentFilter = () => new SimError(400, 'content_filter', 'The request was rejected because it was considered high risk');

export const quotaExceeded = (org: string) =>
  new SimError(429, 'exceeded_current_quota_error', `You exceeded your current token quota: ${org}, please check your account balance`);

export const overloaded = () => new SimError(429, 'engine_overloaded_error', 'The engine is currently overloaded, please try again later');

export const rateLimited = (account: string, limit: 'concurrency' | 'RPM', value: number, waitSeconds: number) =>
  new SimError(
    429,
    'rate_limit_reached_error',
    `Your account ${account} request reached organization max ${limit}: ${value}, please try again after ${waitSeconds} seconds`,
  );

export const serverError = (message = 'Internal server error, please try again later') => new SimError(500, 'server_error', message);

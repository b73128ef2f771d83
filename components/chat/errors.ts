// Turns a AppError (from stream metadata or an ApiErrorBody) into the user's language.
import { appErrorOf } from '@/components/api/client';
import type { AppError } from '@/lib/errors';
import { type Catalog, hasMessage, type Translate } from '@/lib/i18n';

export function errorText(
  messages: Catalog,
  t: Translate,
  error: AppError,
  modelLabel: (id: string) => string = (id) => id,
  locale?: string,
): string {
  const params: Record<string, string | number> = { ...error.params };
  if (typeof params.model === 'string') params.model = modelLabel(params.model);
  if (typeof params.resetsAt === 'string') params.resetsAt = formatDay(params.resetsAt, locale);
  // Token counts and limits read as numbers of the reader's language (262,144), not raw digits.
  for (const [key, value] of Object.entries(params)) if (typeof value === 'number') params[key] = value.toLocaleString(locale);
  // `{suggestion}` is ours to fill: "Switch to <model>, which fits." when the server suggests one.
  const suggested = error.params?.suggestion;
  params.suggestion =
    typeof suggested === 'string' && suggested && hasMessage(messages, 'errors.suggestModel')
      ? t('errors.suggestModel', { model: modelLabel(suggested) })
      : '';
  const key = `errors.${error.code}`;
  if (hasMessage(messages, key)) return t(key, params).trim();
  if (hasMessage(messages, 'errors.internal')) return t('errors.internal', params);
  return error.code;
}

/** useChat's error for an HTTP failure carries the response body as its message: parse our ApiErrorBody. */
export function parseApiError(err: unknown): AppError {
  const message = err instanceof Error ? err.message : String(err);
  try {
    const error = appErrorOf(JSON.parse(message));
    if (error) return error;
  } catch {
    // Not JSON: a network failure or an unexpected response.
  }
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  return { code: offline ? 'stream_dropped' : 'upstream_error', detail: message.slice(0, 500), retryable: true };
}

/** A date the server sends as an ISO timestamp (a quota's reset: midnight UTC), as a day in the reader's language. */
export function formatDay(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

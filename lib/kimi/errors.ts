// Kimi's failures (HTTP errors, stream error events, network drops, timeouts) → AppError codes.
// Pure: safe to use anywhere on the server, and in tests without a Kimi.
import { APICallError, RetryError } from 'ai';
import { z } from 'zod';
import type { AppError, ErrorCode } from '@/lib/errors';
import { findModel } from './catalog';

export interface ToChatErrorOptions {
  /** Whether any answer text had streamed before the failure: a lost connection then is a drop. */
  streamed?: boolean;
}

/** `{"error":{"message","type"}}`, the body of every Kimi error (also sent as a stream event). */
const kimiErrorSchema = z.object({ message: z.string(), type: z.string().nullish(), code: z.string().nullish() });
type KimiError = z.infer<typeof kimiErrorSchema>;

/** A 429 that asks for a longer wait (TPD limits) is not worth retrying automatically. */
export const MAX_AUTO_RETRY_AFTER_SECONDS = 60;

/**
 * Accepts anything streamText can end with: a thrown error, an `error` part's error (for Kimi's
 * `data: {"error":…}` events that is the bare `{message,type}` object), or an `abort` part.
 */
export function toAppError(err: unknown, opts: ToChatErrorOptions = {}): AppError {
  if (RetryError.isInstance(err)) return toAppError(err.lastError, opts);
  if (APICallError.isInstance(err)) return fromApiCallError(err, opts);
  if (isTimeout(err)) return make('upstream_timeout', true, errorMessage(err));
  if (isAbort(err)) return make('interrupted', true);
  if (isAbortPart(err)) {
    // streamText's `timeout` aborts and reports only the message ("Chunk timeout of 300ms exceeded").
    return AI_TIMEOUT.test(err.reason ?? '') ? make('upstream_timeout', true, err.reason) : make('interrupted', true);
  }
  const kimi = kimiErrorOf(err);
  if (kimi) return fromKimiError(undefined, kimi, undefined);
  const network = networkCode(err);
  if (network === 'timeout') return make('upstream_timeout', true, errorMessage(err));
  if (network === 'drop') return dropped(err, opts);
  if (err instanceof Error && err.name === 'KimiNotReadyError') return make('upstream_error', true, err.message);
  // Other AI SDK errors (unparseable chunk, empty body …) are Kimi's doing; anything else is ours.
  if (isAiSdkError(err)) return make('upstream_error', true, errorMessage(err));
  return make('internal', false);
}

/** The error a refused HTTP response stands for (status and Kimi's JSON body), before any SDK wrapping. */
export function chatErrorFromResponse(status: number, body: string): AppError {
  return fromKimiError(status, kimiErrorOf(parseJson(body)) ?? { message: `HTTP ${status}` }, undefined);
}

function fromApiCallError(err: APICallError, opts: ToChatErrorOptions): AppError {
  if (err.statusCode === undefined || err.statusCode < 400) {
    // No response (connection refused/reset, timeout before headers), or a 200 whose body broke off:
    // the SDK reports a mid-stream socket close as "Failed to process successful response" with status 200.
    return isTimeout(err.cause) || networkCode(err) === 'timeout' ? make('upstream_timeout', true, err.message) : dropped(err, opts);
  }
  const kimi = kimiErrorOf(parseJson(err.responseBody)) ?? { message: err.message };
  const model = requestedModel(err.requestBodyValues);
  return fromKimiError(err.statusCode, kimi, model);
}

function fromKimiError(status: number | undefined, { message, type }: KimiError, model: string | undefined): AppError {
  const detail = scrub(message);
  const withModel = (params: Record<string, string | number>) => (model ? { model, ...params } : params);

  const limit = /token limit:\s*(\d+)\s*\(requested:\s*(\d+)\)/i.exec(message);
  if (limit) {
    const window = Number(limit[1]);
    const requested = Number(limit[2]);
    return { code: 'context_too_long', detail, params: withModel({ window, requested, over: requested - window }), retryable: false };
  }
  if (/invalid temperature/i.test(message))
    return { code: 'invalid_temperature', detail, params: withModel(temperatureRange(message, model)), retryable: false };
  if (type === 'content_filter' || /considered high risk/i.test(message)) return make('content_filter', false, detail);
  if (type === 'exceeded_current_quota_error' || (status === 429 && /quota|balance/i.test(message))) return make('quota_exceeded', false, detail);
  if (type === 'engine_overloaded_error' || /overloaded/i.test(message)) return make('engine_overloaded', true, detail);
  if (type === 'rate_limit_reached_error' || status === 429) {
    const after = /after\s+(\d+(?:\.\d+)?)\s*s/i.exec(message);
    // Kimi puts the wait only in the text; 1 s is its usual concurrency wait when a variant omits it.
    const retryAfterSeconds = after ? Math.ceil(Number(after[1])) : 1;
    return { code: 'rate_limited', detail, params: { retryAfterSeconds }, retryable: retryAfterSeconds <= MAX_AUTO_RETRY_AFTER_SECONDS };
  }
  if (status === 401 || type === 'invalid_authentication_error') return make('invalid_api_key', false, detail);
  if (status === 404 || type === 'resource_not_found_error') {
    const missing = /not found the model\s+(\S+)/i.exec(message)?.[1] ?? model;
    return missing ? { code: 'model_not_found', detail, params: { model: missing }, retryable: false } : make('not_found', false, detail);
  }
  // An image sent by file id that Kimi no longer holds (deleted, or the account's files cleared).
  const gone = /unsupported image url:\s*ms:\/\/(\S+)/i.exec(message);
  if (gone) return { code: 'image_file_gone', detail, params: { fileId: gone[1] as string }, retryable: true };
  if (status === 408) return make('upstream_timeout', true, detail);
  if (status !== undefined && status >= 400 && status < 500) return make('bad_request', false, detail);
  // 5xx, or an error event in the stream with an unknown type.
  return make('upstream_error', true, detail);
}

/** The allowed range, from Kimi's words ("only 1 is allowed", "between 0 and 1") or else the catalog. */
function temperatureRange(message: string, model: string | undefined): { min: number; max: number } | Record<string, never> {
  const only = /only\s+([\d.]+)\s+is allowed/i.exec(message);
  if (only) return { min: Number(only[1]), max: Number(only[1]) };
  const between = /between\s+([\d.]+)\s+and\s+([\d.]+)/i.exec(message);
  if (between) return { min: Number(between[1]), max: Number(between[2]) };
  const rule = model ? findModel(model)?.temperature : undefined;
  if (!rule) return {};
  return rule.kind === 'range' ? { min: rule.min, max: rule.max } : { min: rule.value, max: rule.value };
}

function dropped(err: unknown, { streamed = false }: ToChatErrorOptions): AppError {
  return make(streamed ? 'stream_dropped' : 'upstream_error', true, errorMessage(err));
}

function make(code: ErrorCode, retryable: boolean, detail?: string): AppError {
  return detail ? { code, detail: scrub(detail), retryable } : { code, retryable };
}

/** Kimi's error object, whether bare (a stream event as the provider enqueues it) or wrapped in `{error}`. */
function kimiErrorOf(value: unknown): KimiError | undefined {
  if (value instanceof Error || typeof value !== 'object' || value === null) return undefined;
  const inner = 'error' in value ? value.error : value;
  const parsed = kimiErrorSchema.safeParse(inner);
  return parsed.success ? parsed.data : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function requestedModel(body: unknown): string | undefined {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : undefined;
}

const DROP_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ConnectionRefused', 'ConnectionClosed', 'FailedToOpenSocket']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const DROP_MESSAGE = /^(terminated|fetch failed)$|socket hang up|other side closed|socket closed|ECONNRESET|ECONNREFUSED/i;

/** 'timeout' / 'drop' when the error or any cause is a network failure (a timeout anywhere wins). */
function networkCode(err: unknown): 'drop' | 'timeout' | undefined {
  const chain: Error[] = [];
  for (let e = err; e instanceof Error && !chain.includes(e); e = e.cause) chain.push(e);
  const codeOf = (e: Error) => {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? code : '';
  };
  if (chain.some((e) => TIMEOUT_CODES.has(codeOf(e)))) return 'timeout';
  if (chain.some((e) => DROP_CODES.has(codeOf(e)) || DROP_MESSAGE.test(e.message))) return 'drop';
  return undefined;
}

const AI_TIMEOUT = /^(total|step|chunk) timeout of \d+ms exceeded$/i;

/** streamText's `{ type: 'abort', reason? }` part: how its own timeouts (and stops) reach the caller. */
function isAbortPart(value: unknown): value is { type: 'abort'; reason?: string } {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && (value as { type?: unknown }).type === 'abort';
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'ResponseAborted');
}

function isAiSdkError(err: unknown): err is Error {
  return err instanceof Error && err.name.startsWith('AI_');
}

function errorMessage(err: unknown): string | undefined {
  return err instanceof Error ? err.message : undefined;
}

/** Removes anything key-like: Kimi names the account's access key in 429s; keys are sk-…. */
export function scrub(text: string): string {
  return text
    .replace(/Bearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/\bsk-[A-Za-z0-9_-]{6,}/g, '[redacted]')
    .replace(/<[^<>\s]{6,}>/g, '<[redacted]>')
    .replace(/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{24,}\b/g, '[redacted]');
}

const BASE_DELAY_MS = 500;
export const MAX_RETRY_DELAY_MS = 20_000;

/**
 * How long to wait before retry number `attempt` (0 = the first retry): Kimi's own wait when it gave
 * one, else exponential backoff with full jitter. Never more than MAX_RETRY_DELAY_MS.
 */
export function retryDelayMs(error: AppError, attempt: number, random: () => number = Math.random): number {
  const after = error.params?.retryAfterSeconds;
  if (typeof after === 'number' && after > 0) return Math.min(after * 1000, MAX_RETRY_DELAY_MS);
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

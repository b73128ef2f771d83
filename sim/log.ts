// Bounded request log, readable through the library and GET /sim/requests. Never stores an API key.
import type { IncomingHttpHeaders } from 'node:http';

export interface LoggedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface LoggedRequest {
  /** The Msh-Request-Id sent back. */
  id: string;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  path: string;
  model?: string;
  messages?: unknown[];
  /** Everything else in a JSON body. */
  params: Record<string, unknown>;
  /** All headers; `authorization` replaced by a fingerprint such as `Bearer sk-…a1b2`. */
  headers: Record<string, string | string[] | undefined>;
  status: number;
  stream: boolean;
  /** The client closed the connection before the response ended. */
  aborted: boolean;
  usage?: LoggedUsage;
}

export function fingerprint(authorization: string): string {
  const key = authorization.replace(/^Bearer\s+/i, '');
  return key.length > 10 ? `Bearer ${key.slice(0, 3)}…${key.slice(-4)}` : 'Bearer …';
}

export function loggableHeaders(headers: IncomingHttpHeaders): LoggedRequest['headers'] {
  const copy: LoggedRequest['headers'] = { ...headers };
  if (headers.authorization !== undefined) copy.authorization = fingerprint(headers.authorization);
  return copy;
}

export class RequestLog {
  private ring: LoggedRequest[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  add(entry: LoggedRequest): void {
    if (this.size <= 0) return;
    if (this.ring.length < this.size) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.size;
  }

  /** Oldest first; copies, so callers cannot change the log. */
  list(): LoggedRequest[] {
    const ordered = this.ring.length < this.size ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.map((e) => ({ ...e }));
  }

  clear(): void {
    this.ring = [];
    this.next = 0;
  }
}

// Shared test helpers: raw HTTP calls and a small SSE parser, independent of the simulator's code.
import OpenAI from 'openai';
import type { Simulator } from '../../sim';

export const KEY = 'sk-test-0123456789abcdef';

export interface SseResult {
  /** Parsed JSON of each `data:` event except [DONE]. */
  events: any[];
  /** Raw `data:` payloads in order, including "[DONE]". */
  raw: string[];
  done: boolean;
  /** ms from request start to each event's arrival. */
  times: number[];
  status: number;
  headers: Headers;
}

/** Splits on blank lines and keeps `data:` lines, as the SSE spec does for our single-line events. */
export async function readSse(response: Response, started = performance.now()): Promise<SseResult> {
  const result: SseResult = { events: [], raw: [], done: false, times: [], status: response.status, headers: response.headers };
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (!data) continue;
        result.raw.push(data);
        result.times.push(performance.now() - started);
        if (data === '[DONE]') result.done = true;
        else result.events.push(JSON.parse(data));
      }
    }
  } catch {
    // a dropped connection ends the stream early; callers assert on what arrived
  }
  return result;
}

export function post(sim: Simulator, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export function get(sim: Simulator, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.url}${path}`, { ...init, headers: { authorization: `Bearer ${KEY}`, ...(init.headers as Record<string, string>) } });
}

export async function chat(sim: Simulator, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await post(sim, '/chat/completions', body, headers);
  return { status: response.status, headers: response.headers, json: (await response.json()) as any };
}

export async function stream(sim: Simulator, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<SseResult> {
  const started = performance.now();
  const response = await post(sim, '/chat/completions', { ...body, stream: true }, headers);
  return readSse(response, started);
}

export function client(sim: Simulator, headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({ baseURL: sim.url, apiKey: KEY, maxRetries: 0, defaultHeaders: headers });
}

/** Content of a parsed stream: concatenated deltas of one field. */
export function joined(events: any[], field: 'content' | 'reasoning_content'): string {
  return events.map((e) => e.choices?.[0]?.delta?.[field] ?? '').join('');
}

export const user = (content: string) => [{ role: 'user', content }];

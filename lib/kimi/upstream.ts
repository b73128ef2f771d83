// A call to Kimi on node:http (the gateway's pass-through, a plain chat turn, a title asked for whole),
// through one keep-alive agent per process: Kimi's answer comes back as the response's Buffers (one 'data' event
// carries whatever one socket read held, often many SSE events), with no fetch, Headers or web streams in
// between — at 200 concurrent gateway streams those were a large share of the server's time. Retries are lib/kimi/retrying-fetch.ts's decisions: a connection that
// failed to open, 429 and 5xx before any byte of an answer (after the wait Kimi names), bounded in count
// and total wait. The caller's signal aborts the request, a retry's wait, or the answer being read.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { APICallError } from 'ai';
import { connectRetryDelay, mayRetryStatus, type RetryPolicy, refusalRetryDelay, sleep } from '@/lib/kimi/retrying-fetch';
import { processSingleton } from '@/lib/singleton';

/** As undici's fetch: no byte from Kimi for this long (before its headers or between chunks) fails the call. */
const IDLE_TIMEOUT_MS = 300_000;

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** Kimi answered (2xx): its body is to be read. */
export interface UpstreamAnswer {
  ok: true;
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

/** Kimi refused (retries spent or not allowed): its body, read whole. */
export interface UpstreamRefusal {
  ok: false;
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  text: string;
}

const agents = processSingleton('gateway.upstreamAgents', () => ({
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
}));

function attempt(url: URL, request: UpstreamRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const send = url.protocol === 'https:' ? https.request : http.request;
    const req = send(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        signal: request.signal,
        timeout: IDLE_TIMEOUT_MS,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('Kimi sent nothing for 300 s'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(request.body);
  });
}

/** The response's body as text (a refusal, or a short answer asked for whole). */
export async function readText(body: IncomingMessage): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of body) pieces.push(piece as Buffer);
  return Buffer.concat(pieces).toString('utf8');
}

/** POSTs the request to Kimi, retrying as the policy allows: Kimi's answer, or its refusal. */
export async function requestUpstream(request: UpstreamRequest, policy: RetryPolicy): Promise<UpstreamAnswer | UpstreamRefusal> {
  const url = new URL(request.url);
  let waited = 0;
  for (let n = 0; ; n++) {
    let res: IncomingMessage;
    try {
      res = await attempt(url, request);
    } catch (error) {
      const delay = connectRetryDelay(error, n, waited, policy);
      if (delay === null) throw error;
      await sleep(delay, request.signal);
      waited += delay;
      continue;
    }
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return { ok: true, status, headers: res.headers, body: res };
    const text = await readText(res);
    const delay = mayRetryStatus(status, n, policy) ? refusalRetryDelay(status, text, n, waited, policy) : null;
    if (delay === null) return { ok: false, status, statusText: res.statusMessage ?? '', headers: res.headers, text };
    await sleep(delay, request.signal);
    waited += delay;
  }
}

/** A refusal as the AI SDK's provider would have thrown it (the chat's error mapping reads this shape). */
export function refusalError(url: string, modelId: string, refusal: UpstreamRefusal): APICallError {
  return new APICallError({
    message: refusal.statusText || `HTTP ${refusal.status}`,
    url,
    requestBodyValues: { model: modelId },
    statusCode: refusal.status,
    responseHeaders: Object.fromEntries(Object.entries(refusal.headers).map(([name, value]) => [name, String(value)])),
    responseBody: refusal.text,
  });
}

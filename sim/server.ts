// node:http server: routing, auth, request log and the shared state. Handlers live in their own modules.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { countMessageTokens } from '../lib/kimi/tokenizer';
import { Balance } from './balance';
import { PrefixCache } from './cache';
import { type ChatDeps, handleChat } from './chat';
import { invalidAuth, invalidRequest, modelNotFound, notFound, SimError, serverError } from './errors';
import { type Exchange, sendError, sendJson } from './exchange';
import { type FaultPlan, FaultQueue, parseFaults } from './faults';
import { FileStore } from './files';
import { type LoggedRequest, loggableHeaders, RequestLog } from './log';
import { modelsListBody, servedCatalog } from './models';
import { resolveOptions, type SimulatorOptions } from './options';
import { RateLimiter } from './ratelimit';
import { estimateSchema, parseBody } from './schema';
import type { WebSearchThinking } from './web-search';

export interface Simulator {
  /** Base URL for clients, e.g. http://127.0.0.1:8787/v1 */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
  requests(): LoggedRequest[];
  clearRequests(): void;
  /** Replace the standing faults (applied to every chat request); undefined clears them. */
  setFaults(spec: string | undefined): void;
  /** `$web_search` while thinking: `refuse` or `accept` from now on (the `webSearchThinking` option). */
  setWebSearchThinking(mode: WebSearchThinking): void;
  /** Queue a fault spec for the next `count` chat requests (optionally only for `model`), like POST /sim/faults. */
  queueFaults(spec: string, count?: number, model?: string): void;
  /** Clear standing and queued faults, like DELETE /sim/faults. */
  clearFaults(): void;
}

const MAX_JSON_BYTES = 64 * 1024 * 1024;

const faultBodySchema = z.object({ fault: z.string().min(1), count: z.number().int().min(1).optional(), model: z.string().optional() });

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw invalidRequest(`Invalid request: the body exceeds ${MAX_JSON_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('Invalid request: the body is not valid JSON');
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const opts = resolveOptions(options);
  const log = new RequestLog(opts.logSize);
  const queue = new FaultQueue();
  const files = new FileStore(opts);
  const balance = new Balance(opts.voucher, opts.balance - opts.voucher);
  let standing: FaultPlan | undefined = opts.faults ? parseFaults(opts.faults) : undefined;
  const idPrefix = randomBytes(6).toString('hex');
  let idCounter = 0;

  const catalog = servedCatalog(opts.catalog);
  const deps: ChatDeps = {
    opts,
    catalog,
    cache: new PrefixCache(opts.cacheTtlMs, opts.cacheEntries),
    balance,
    limiter: new RateLimiter(opts.limits),
    queue,
    standingFaults: () => standing,
    account: (apiKey) => `${opts.org}<ak-${createHash('sha256').update(apiKey).digest('hex').slice(0, 12)}>`,
    completionId: () => `chatcmpl-${idPrefix}${(idCounter++).toString(36)}`,
    imageFiles: (id) => files.image(id),
  };

  const modelsBody = modelsListBody(catalog, opts.omitContextLength);

  /** `Bearer <key>` if accepted, else undefined. */
  function authenticate(req: IncomingMessage): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const key = match?.[1];
    if (!key) return undefined;
    return !opts.apiKeys || opts.apiKeys.includes(key) ? key : undefined;
  }

  async function routeV1(ex: Exchange, method: string, path: string): Promise<void> {
    if (method === 'POST' && path === '/v1/chat/completions') return handleChat(deps, ex, await readJson(ex.req));
    if (method === 'GET' && path === '/v1/models') return sendJson(ex, 200, modelsBody);
    if (method === 'POST' && path === '/v1/tokenizers/estimate-token-count') {
      const raw = await readJson(ex.req);
      const body = parseBody(estimateSchema, raw);
      ex.entry.model = body.model;
      ex.entry.messages = body.messages;
      if (!catalog.lookup(body.model)) throw modelNotFound(body.model);
      return sendJson(ex, 200, JSON.stringify({ data: { total_tokens: countMessageTokens(body.messages) } }));
    }
    if (method === 'GET' && path === '/v1/users/me/balance') return sendJson(ex, 200, JSON.stringify(balance));
    if (path === '/v1/files') {
      if (method === 'POST') return files.upload(ex);
      if (method === 'GET') return sendJson(ex, 200, files.list());
    }
    const file = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    if (file) {
      const id = decodeURIComponent(file[1] ?? '');
      if (method === 'GET') return sendJson(ex, 200, file[2] ? files.content(id) : files.info(id));
      if (method === 'DELETE' && !file[2]) return sendJson(ex, 200, files.delete(id));
    }
    throw notFound(`Not found: ${method} ${path}`);
  }

  async function routeSim(ex: Exchange, method: string, path: string): Promise<void> {
    if (path === '/sim/requests') {
      if (method === 'GET') return sendJson(ex, 200, JSON.stringify(log.list()));
      if (method === 'DELETE') {
        log.clear();
        return sendJson(ex, 200, '{"cleared":true}');
      }
    }
    if (path === '/sim/faults') {
      if (method === 'POST') {
        const body = parseBody(faultBodySchema, await readJson(ex.req));
        try {
          queue.push(body.fault, body.count ?? 1, body.model);
        } catch (error) {
          throw invalidRequest(`Invalid fault: ${(error as Error).message}`);
        }
        return sendJson(ex, 200, JSON.stringify({ queued: queue.list() }));
      }
      if (method === 'GET') return sendJson(ex, 200, JSON.stringify({ queued: queue.list() }));
      if (method === 'DELETE') {
        queue.clear();
        standing = undefined;
        return sendJson(ex, 200, '{"cleared":true}');
      }
    }
    throw notFound(`Not found: ${method} ${path}`);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const requestId = randomUUID();
    res.setHeader('Msh-Request-Id', requestId);
    const entry: LoggedRequest = {
      id: requestId,
      time: new Date().toISOString(),
      method,
      path,
      params: {},
      headers: loggableHeaders(req.headers),
      status: 0,
      stream: false,
      aborted: false,
    };
    const ex: Exchange = { req, res, entry, apiKey: '', started: performance.now(), simulatorClosed: false };
    try {
      if (path.startsWith('/sim/')) return await routeSim(ex, method, path);
      log.add(entry);
      res.on('close', () => {
        if (!res.writableFinished && !ex.simulatorClosed) entry.aborted = true;
      });
      const key = authenticate(req);
      if (key === undefined) throw invalidAuth();
      ex.apiKey = key;
      await routeV1(ex, method, path);
    } catch (error) {
      const simError = error instanceof SimError ? error : serverError();
      if (!(error instanceof SimError)) console.error('[sim] unexpected error', error);
      if (!res.headersSent && !res.destroyed) sendError(ex, simError);
      else res.destroy();
    }
  }

  const server = createServer({ keepAlive: true }, (req, res) => void onRequest(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: benchmarks open 1,000 connections at once.
    server.listen({ port: opts.port, host: opts.host, backlog: 4096 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    setWebSearchThinking: (mode) => {
      opts.webSearchThinking = mode;
    },
    setFaults: (spec) => {
      standing = spec ? parseFaults(spec) : undefined;
    },
    queueFaults: (spec, count = 1, model) => queue.push(spec, count, model),
    clearFaults: () => {
      queue.clear();
      standing = undefined;
    },
  };
}

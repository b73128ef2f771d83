// Simulator throughput: 1,000 concurrent unpaced streams from a client in a separate process, against the
// simulator and against a bare node:http server writing the same SSE bytes (the ceiling for this machine).
// Run alone: `tsx bench/sim.bench.ts` prints the BenchResult as JSON.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { startSimulator } from '../sim';
import type { BenchResult } from './types';

const CONCURRENCY = 1_000;
const REPLY_TOKENS = 400;
const CHUNK_TOKENS = 2;
const CLIENT_TIMEOUT_MS = 25_000;
const AUTH = 'Bearer sk-bench-0000000000';
// kimi-k2.6 with thinking off: plain content chunks, as before the simulator served today's models.
const BODY = JSON.stringify({
  model: 'kimi-k2.6',
  thinking: { type: 'disabled' },
  stream: true,
  messages: [{ role: 'user', content: `reply with ${REPLY_TOKENS} tokens` }],
});

// Plain ESM run by `node -e` in a child process: opens all requests at once on a keep-alive agent, counts
// SSE events (blank-line terminated) and checks each stream ends with [DONE].
const CLIENT = `
import http from 'node:http';
const { url, concurrency, body, auth } = JSON.parse(process.env.BENCH_ARGS);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let events = 0, complete = 0, failed = 0;
const ttfb = [];
const start = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => new Promise((resolve) => {
  const t0 = performance.now();
  const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
    headers: { 'content-type': 'application/json', authorization: auth, 'content-length': Buffer.byteLength(body) } }, (res) => {
    let tail = '';
    let first = true;
    res.setEncoding('latin1');
    res.on('data', (s) => {
      if (first) { ttfb.push(performance.now() - t0); first = false; }
      const text = tail.slice(-1) + s;
      for (let i = text.indexOf('\\n\\n'); i >= 0; i = text.indexOf('\\n\\n', i + 2)) events++;
      tail = (tail + s).slice(-16);
    });
    res.on('end', () => { if (tail.endsWith('data: [DONE]\\n\\n')) complete++; else failed++; resolve(); });
    res.on('error', () => { failed++; resolve(); });
  });
  req.on('error', () => { failed++; resolve(); });
  req.end(body);
})));
const elapsedMs = performance.now() - start;
ttfb.sort((a, b) => a - b);
const pick = (q) => ttfb[Math.min(ttfb.length - 1, Math.floor(q * ttfb.length))] ?? NaN;
process.stdout.write(JSON.stringify({ complete, failed, events, elapsedMs, ttfbP50: pick(0.5), ttfbP99: pick(0.99) }));
agent.destroy();
`;

interface ClientRun {
  complete: number;
  failed: number;
  events: number;
  elapsedMs: number;
  ttfbP50: number;
  ttfbP99: number;
}

function runClient(url: string, concurrency: number): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CLIENT], {
      env: { ...process.env, BENCH_ARGS: JSON.stringify({ url, concurrency, body: BODY, auth: AUTH }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLIENT_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out) as ClientRun);
      else reject(new Error(`bench client exited with ${code} (timeout ${CLIENT_TIMEOUT_MS} ms?)`));
    });
  });
}

/** A bare node:http server answering every request with the same pre-recorded SSE bytes. */
async function startBaseline(sse: Buffer): Promise<{ url: string; server: Server }> {
  const server = createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(sse);
    });
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`, server };
}

export async function benchSimulator(): Promise<BenchResult> {
  const sim = await startSimulator({ port: 0, chunkTokens: CHUNK_TOKENS, logSize: 100 });
  const simUrl = `${sim.url}/chat/completions`;
  const sample = await fetch(simUrl, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: BODY });
  const sse = Buffer.from(await sample.arrayBuffer());
  const baseline = await startBaseline(sse);
  try {
    // Warm both servers (JIT, sockets) before measuring.
    await runClient(simUrl, 100);
    await runClient(baseline.url, 100);
    const [load1 = 0] = loadavg();
    const cpuBefore = process.cpuUsage();
    const simRun = await runClient(simUrl, CONCURRENCY);
    const cpu = process.cpuUsage(cpuBefore);
    const baseRun = await runClient(baseline.url, CONCURRENCY);
    const simRate = simRun.events / (simRun.elapsedMs / 1000);
    const baseRate = baseRun.events / (baseRun.elapsedMs / 1000);
    return {
      name: 'simulator',
      metrics: {
        concurrentStreams: CONCURRENCY,
        completedWithDone: simRun.complete,
        failed: simRun.failed,
        eventsPerStream: simRun.events / Math.max(1, simRun.complete),
        chunksTotal: simRun.events,
        runSeconds: simRun.elapsedMs / 1000,
        chunksPerSecond: Math.round(simRate),
        ttfbP50Ms: simRun.ttfbP50,
        ttfbP99Ms: simRun.ttfbP99,
        serverCpuSeconds: (cpu.user + cpu.system) / 1e6,
        // Capacity independent of the client: chunks the simulator produced per second of its own CPU.
        serverChunksPerCpuSecond: Math.round(simRun.events / ((cpu.user + cpu.system) / 1e6)),
        loadAverage1m: load1,
        baselineCompletedWithDone: baseRun.complete,
        baselineChunksPerSecond: Math.round(baseRate),
        baselineTtfbP50Ms: baseRun.ttfbP50,
        ratioToBaseline: simRate / baseRate,
      },
      notes: `pacing 0, chunkTokens ${CHUNK_TOKENS}, ${REPLY_TOKENS}-token replies; client in a child process (node:http, keep-alive), server in this process; baseline = bare node:http writing the same SSE bytes in one write; ${CONCURRENCY} streams opened at once. The client process is usually the limit on 2 cores; loadAverage1m shows other load on the machine.`,
    };
  } finally {
    await sim.close();
    await new Promise<void>((resolve) => {
      baseline.server.close(() => resolve());
      baseline.server.closeAllConnections();
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await benchSimulator(), null, 2)}\n`);
}

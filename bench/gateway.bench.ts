// What the /api/v1 gateway adds over calling the simulator directly, same run: time to the first token
// (p50/p99 at 1 and at 50 concurrent streams) and streamed chunks per second at 200 concurrent streams.
// The same request body goes to both; the gateway's only extra work is its own (key, limits, quota,
// pass-through with the usage tap, one ledger row per call). Beside them, the floor: a bare node:http proxy
// (bench/bare-proxy.mjs, its own process) piping the same streams, which shows what any proxy on this
// machine costs — the client, the simulator and the proxy share its cores. The simulator is unpaced (the
// machine's ceiling); `c200_paced_*` repeat the 200 streams against a second app whose simulator is paced
// like Kimi (what a user feels).
import { pathToFileURL } from 'node:url';
import { type BenchApp, startBenchApp } from './app-server';
import { type BareProxy, startBareProxy } from './bare-proxy-process';
import { percentile } from './stats';
import type { BenchResult } from './types';

const MODEL = 'kimi-k2.6';
const FIRST_TOKEN = /"content":"[^"]/;

interface Target {
  url: string;
  key: string;
}

function body(tokens: number): string {
  return JSON.stringify({
    model: MODEL,
    thinking: { type: 'disabled' },
    stream: true,
    messages: [{ role: 'user', content: `Please reply with ${tokens} tokens` }],
  });
}

/** ms to the first chunk with answer text, how many `data:` events the stream had, and when the last arrived. */
async function stream(target: Target, tokens: number): Promise<{ ttft: number; events: number; lastAt: number }> {
  const t0 = performance.now();
  const res = await fetch(`${target.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
    body: body(tokens),
  });
  if (!res.ok || !res.body) throw new Error(`${target.url}: HTTP ${res.status} ${await res.text()}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let ttft = NaN;
  let events = 0;
  let lastAt = 0;
  let seen = '';
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    lastAt = performance.now();
    if (Number.isNaN(ttft)) {
      seen += next.value;
      if (FIRST_TOKEN.test(seen)) ttft = performance.now() - t0;
    }
    for (let i = next.value.indexOf('data:'); i !== -1; i = next.value.indexOf('data:', i + 5)) events++;
  }
  if (Number.isNaN(ttft)) throw new Error(`${target.url}: no answer text`);
  return { ttft, events, lastAt };
}

async function ttfts(direct: Target, gateway: Target, concurrency: number, rounds: number) {
  const samples = { direct: [] as number[], gateway: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, target] of [
      ['direct', direct],
      ['gateway', gateway],
    ] as const) {
      const results = await Promise.all(Array.from({ length: concurrency }, () => stream(target, 20)));
      samples[name].push(...results.map((r) => r.ttft));
    }
  }
  const p = (name: keyof typeof samples, q: number) =>
    percentile(
      [...samples[name]].sort((x, y) => x - y),
      q,
    );
  return { directP50: p('direct', 50), addedP50: p('gateway', 50) - p('direct', 50), addedP99: p('gateway', 99) - p('direct', 99) };
}

/**
 * Chunks per second received by `concurrency` clients streaming at once: every event, over the time from
 * the first request to the last event's arrival (the gateway closes each stream only after its ledger row
 * is written; that write is accounting, not streaming, and is left out here — see `endToEnd`).
 */
async function throughput(target: Target, concurrency: number, tokens: number): Promise<{ streamed: number; endToEnd: number; ttfts: number[] }> {
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: concurrency }, () => stream(target, tokens)));
  const end = performance.now();
  const events = results.reduce((sum, r) => sum + r.events, 0);
  const last = Math.max(...results.map((r) => r.lastAt));
  return { streamed: events / ((last - t0) / 1000), endToEnd: events / ((end - t0) / 1000), ttfts: results.map((r) => r.ttft) };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Kimi's pace, as in the capacity bench: what 200 streams at once feel like through the gateway. */
const KIMI_PACE = { ttftMs: 300, tokensPerSecond: 60 };
const PACED_TOKENS = 120;

/**
 * 200 concurrent streams paced like Kimi (a second app and simulator): chunks/s through the gateway and the
 * bare proxy against direct, and the first token the gateway adds at p50/p99, alternated twice.
 */
async function pacedThroughput(): Promise<Record<string, number>> {
  return withTargets(KIMI_PACE, async ({ direct, bare, gateway }) => {
    await ttfts(direct, gateway, 5, 2); // warm up
    const runs = {
      direct: [] as Awaited<ReturnType<typeof throughput>>[],
      bare: [] as number[],
      gateway: [] as Awaited<ReturnType<typeof throughput>>[],
    };
    for (let i = 0; i < 2; i++) {
      runs.direct.push(await throughput(direct, 200, PACED_TOKENS));
      runs.bare.push((await throughput(bare, 200, PACED_TOKENS)).streamed);
      runs.gateway.push(await throughput(gateway, 200, PACED_TOKENS));
    }
    const best = (list: Awaited<ReturnType<typeof throughput>>[]) => list.reduce((a, b) => (b.streamed > a.streamed ? b : a));
    const directBest = best(runs.direct);
    const gatewayBest = best(runs.gateway);
    const sorted = (values: number[]) => [...values].sort((x, y) => x - y);
    const directTtfts = sorted(runs.direct.flatMap((r) => r.ttfts));
    const gatewayTtfts = sorted(runs.gateway.flatMap((r) => r.ttfts));
    return {
      c200_paced_direct_chunks_per_s: Math.round(directBest.streamed),
      c200_paced_gateway_vs_direct: round(gatewayBest.streamed / directBest.streamed),
      c200_paced_bare_proxy_vs_direct: round(Math.max(...runs.bare) / directBest.streamed),
      c200_paced_added_ttft_p50_ms: round(percentile(gatewayTtfts, 50) - percentile(directTtfts, 50)),
      c200_paced_added_ttft_p99_ms: round(percentile(gatewayTtfts, 99) - percentile(directTtfts, 99)),
    };
  });
}

/**
 * The app (its simulator paced as given, unpaced by default), a bare proxy in front of that simulator and a
 * personal key: the three targets a phase compares, stopped once `use` is done.
 */
async function withTargets<T>(
  pace: { ttftMs: number; tokensPerSecond: number } | undefined,
  use: (targets: { direct: Target; bare: Target; gateway: Target }) => Promise<T>,
): Promise<T> {
  const app = await startBenchApp(process.env.BENCH_DB === 'postgres' ? 'postgres' : 'pglite', pace);
  let proxy: BareProxy | undefined;
  try {
    proxy = await startBareProxy(app.simUrl);
    return await use({
      direct: { url: app.simUrl, key: app.apiKey },
      bare: { url: proxy.url, key: app.apiKey },
      gateway: { url: `${app.origin}/api/v1`, key: await personalKey(app) },
    });
  } finally {
    proxy?.close();
    await app.close();
  }
}

async function personalKey(app: BenchApp): Promise<string> {
  const res = await fetch(`${app.origin}/api/keys`, {
    method: 'POST',
    headers: { cookie: app.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`creating a key: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret: string }).secret;
}

export async function benchGateway(): Promise<BenchResult> {
  const unpaced = await withTargets(undefined, async ({ direct, bare, gateway }) => {
    await ttfts(direct, gateway, 5, 4); // warm up: compile the route, fill the caches
    const one = await ttfts(direct, gateway, 1, 200);
    const fifty = await ttfts(direct, gateway, 50, 6);
    // Alternated twice, so both see the same machine; each side's better run counts.
    const rates = { direct: [] as number[], bare: [] as number[], gateway: [] as number[], gatewayEnd: [] as number[] };
    for (let i = 0; i < 2; i++) {
      rates.direct.push((await throughput(direct, 200, 300)).streamed);
      rates.bare.push((await throughput(bare, 200, 300)).streamed);
      const through = await throughput(gateway, 200, 300);
      rates.gateway.push(through.streamed);
      rates.gatewayEnd.push(through.endToEnd);
    }
    const directRate = Math.max(...rates.direct);
    const bareRate = Math.max(...rates.bare);
    const gatewayRate = Math.max(...rates.gateway);
    return {
      c1_direct_p50_ms: round(one.directP50),
      c1_added_p50_ms: round(one.addedP50),
      c1_added_p99_ms: round(one.addedP99),
      c50_direct_p50_ms: round(fifty.directP50),
      c50_added_p50_ms: round(fifty.addedP50),
      c50_added_p99_ms: round(fifty.addedP99),
      c200_direct_chunks_per_s: Math.round(directRate),
      c200_gateway_chunks_per_s: Math.round(gatewayRate),
      c200_gateway_vs_direct: round(gatewayRate / directRate),
      c200_bare_proxy_chunks_per_s: Math.round(bareRate),
      c200_bare_proxy_vs_direct: round(bareRate / directRate),
      c200_gateway_vs_bare_proxy: round(gatewayRate / bareRate),
      c200_gateway_with_ledger_writes_vs_direct: round(Math.max(...rates.gatewayEnd) / directRate),
    };
  });
  // Beside the unpaced figures (as fast as the simulator can: the machine's ceiling), the pace a user feels.
  const paced = await pacedThroughput();
  return {
    name: '/api/v1 gateway overhead (time to first token) and streamed throughput',
    metrics: { ...unpaced, ...paced },
    notes: `${process.env.BENCH_DB === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'}, simulator unpaced in its own process (c200_paced_*: a second app and simulator paced like Kimi, 300 ms to the first token, 60 tokens/s, 120-token answers), one personal key; bare proxy = node:http piping the same streams, untouched (the floor for any proxy here); targets: c1_added_p50_ms ≤ 2, c200_gateway_vs_direct ≥ 0.8`,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchGateway(), null, 2));
  process.exit(0);
}

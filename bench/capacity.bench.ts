// Capacity: N users each sending turns back to back for a fixed time against one instance (or several
// behind one port), with the simulator in its own process paced like Kimi (300 ms to the first token,
// 60 tokens/s, 2 tokens a chunk) answering 120 tokens. Each level runs the same load straight to the
// simulator first, then through the app, in the same run. Reports turns/s against direct, the time to
// first token the app adds (p50/p99), the gap between text chunks as the client sees it, failed turns and
// why, nothing lost (user messages and usage rows against accepted turns), and the server's CPU per turn
// and per chunk, summed over its process group from /proc (the PostgreSQL server's own CPU is not in it).
// The floor is measured in the same run: the same load through a bare node:http proxy (bench/bare-proxy.mjs,
// its own process), which shows what passing the streams through any process costs on this machine.
//
// Settings (so a run fits in minutes): BENCH_CAPACITY_USERS=20,50,200,500 · BENCH_CAPACITY_SECONDS=20 ·
// BENCH_CAPACITY_DB=pglite,postgres · BENCH_CAPACITY_INSTANCES=1 (e.g. 1,2: several instances behind one
// port, PostgreSQL + Redis only) · BENCH_CAPACITY_BROWSER=1 (0 skips the Chromium figure) ·
// BENCH_CAPACITY_CPU_PROFILE=<folder> (CPU profiles of the server) · BENCH_CAPACITY_TTFT_MS=300 (the simulator's
// first token) · BENCH_CAPACITY_START=together (or spread: the users' first turns staggered over one turn's
// length, `_spread` in the figures' names) · TEST_PORTS=first-last (the ports to use).
// Each level also reports its first burst (every user's first turn, sent in the same millisecond): how long
// until the last of them had its first words, and the cores each process kept busy meanwhile.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  createThrowawayDatabase,
  createUsers,
  type DatabaseKind,
  type ServerProcess,
  startServer,
  startSimulatorProcess,
  type TestUser,
  type ThrowawayDatabase,
} from '../tests/support/server-process';
import { type BareProxy, startBareProxy } from './bare-proxy-process';
import { percentile } from './stats';
import type { BenchResult } from './types';

/** BENCH_CAPACITY_TTFT_MS: a longer first token (e.g. 3000) takes the answers' streaming out of the first burst, leaving the turns' start. */
const PACE = { ttftMs: Number(process.env.BENCH_CAPACITY_TTFT_MS || 300), tokensPerSecond: 60 };
if (!Number.isInteger(PACE.ttftMs) || PACE.ttftMs < 0) throw new Error('BENCH_CAPACITY_TTFT_MS: a whole number of milliseconds');
/**
 * BENCH_CAPACITY_START: `together` sends every user's first turn in the same millisecond (the first burst);
 * `spread` staggers them evenly over one turn's length, so the users do not stay in step (with no pause
 * between turns, a burst's users start their later turns in waves for seconds after it).
 */
const START = process.env.BENCH_CAPACITY_START || 'together';
if (START !== 'together' && START !== 'spread') throw new Error('BENCH_CAPACITY_START: together or spread');
/** Every answer's length: the simulator answers the prompt with exactly this many tokens. */
const ANSWER_TOKENS = 120;
/** One turn as the simulator paces it: its first token, then the answer. */
const TURN_MS = PACE.ttftMs + (ANSWER_TOKENS / PACE.tokensPerSecond) * 1000;
const PROMPT = `reply with ${ANSWER_TOKENS} tokens`;
const SECRET = 'bench-capacity-secret-0123456789abcdef01';
const KEY = 'sk-bench-capacity';
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
/** BENCH_CAPACITY_CPU_PROFILE=<folder>: the server's processes write `--cpu-prof` profiles there. */
const CPU_PROFILE_DIR = process.env.BENCH_CAPACITY_CPU_PROFILE;
/** A turn that has not ended this long after the phase is counted failed (`timeout`). */
const TURN_TIMEOUT_MS = 60_000;

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One turn as the client saw it. */
interface TurnSample {
  ok: boolean;
  /** Why it failed: `http_429:rate_limited`, `no_finish:upstream_timeout`, `transport`, `timeout`. */
  failure?: string;
  ttftMs: number;
  /** Gaps between successive reads that carried answer text. */
  gaps: number[];
  chunks: number;
  /** From the last answer text to the stream's end (the answer's save, as the client waits for it). */
  tailMs: number;
  /** From sending the turn to its end (a failed one included: the user waited for it too). */
  durationMs: number;
  /** The user's first turn of the level: all users send it in the same millisecond. */
  first: boolean;
  endedAt: number;
  accepted: boolean;
}

/** Reads an SSE body; `isText` says whether an event carries answer text, `onEvent` sees every data line. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  sentAt: number,
  isText: (data: string) => boolean,
  onEvent: (data: string) => void,
): Promise<Pick<TurnSample, 'ttftMs' | 'gaps' | 'chunks' | 'tailMs'>> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let ttftMs = NaN;
  let last = 0;
  let chunks = 0;
  const gaps: number[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    buffer += decoder.decode(next.value, { stream: true });
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    let text = 0;
    for (const event of events) {
      const data = event.startsWith('data: ') ? event.slice(6) : '';
      if (data === '' || data === '[DONE]') continue;
      if (isText(data)) text++;
      onEvent(data);
    }
    if (text === 0) continue;
    const now = performance.now();
    chunks += text;
    if (Number.isNaN(ttftMs)) ttftMs = now - sentAt;
    else gaps.push(now - last);
    last = now;
  }
  return { ttftMs, gaps, chunks, tailMs: performance.now() - last };
}

/** A turn as its sender returns it (the load loop adds its duration and whether it was the user's first). */
type TurnResult = Omit<TurnSample, 'durationMs' | 'first'>;

async function directTurn(simUrl: string, signal: AbortSignal): Promise<TurnResult> {
  const sentAt = performance.now();
  const res = await fetch(`${simUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, stream: true, messages: [{ role: 'user', content: PROMPT }] }),
    signal,
  });
  if (!res.ok || !res.body)
    return { ok: false, failure: `http_${res.status}`, ttftMs: NaN, gaps: [], chunks: 0, tailMs: NaN, endedAt: performance.now(), accepted: false };
  let done = false;
  const seen = await readEvents(
    res.body,
    sentAt,
    // Answer text: a non-empty content delta (the first chunk carries the role and an empty content).
    (data) => /"content":"[^"]/.test(data),
    (data) => {
      if (data.includes('"finish_reason":"stop"')) done = true;
    },
  );
  return { ok: done, ...(done ? {} : { failure: 'no_finish' }), ...seen, endedAt: performance.now(), accepted: true };
}

async function appTurn(origin: string, user: TestUser, conversationId: string, signal: AbortSignal): Promise<TurnResult | 'busy'> {
  const sentAt = performance.now();
  const res = await fetch(`${origin}/api/chat`, {
    method: 'POST',
    headers: { cookie: user.cookie, 'content-type': 'application/json', origin },
    body: JSON.stringify({
      id: conversationId,
      trigger: 'submit-message',
      message: { id: randomUUID(), role: 'user', parts: [{ type: 'text', text: PROMPT }] },
      settings: { model: 'kimi-k2.6', systemPrompt: '', temperature: null, thinking: false },
    }),
    signal,
  });
  if (res.status !== 200 || !res.body) {
    const body = (await res.json().catch(() => ({}))) as { code?: string };
    if (res.status === 409 && body.code === 'conversation_busy') return 'busy';
    return {
      ok: false,
      failure: `http_${res.status}:${body.code ?? '?'}`,
      ttftMs: NaN,
      gaps: [],
      chunks: 0,
      tailMs: NaN,
      endedAt: performance.now(),
      accepted: false,
    };
  }
  let finished = false;
  let error: string | undefined;
  const seen = await readEvents(
    res.body,
    sentAt,
    (data) => data.startsWith('{"type":"text-delta"'),
    (data) => {
      if (data.startsWith('{"type":"finish"')) finished = true;
      else if (data.includes('"status":"error"')) error ??= /"code":"([^"]+)"/.exec(data)?.[1] ?? 'error';
    },
  );
  const ok = finished && !error;
  return { ok, ...(ok ? {} : { failure: `no_finish:${error ?? 'none'}` }), ...seen, endedAt: performance.now(), accepted: true };
}

/** `users` loops sending turns back to back until `seconds` have passed; waits for the turns in flight. */
async function runLoad(users: number, seconds: number, turn: (u: number, signal: AbortSignal) => Promise<TurnResult | 'busy'>) {
  const samples: TurnSample[] = [];
  let busy = 0;
  const startedAt = performance.now();
  const endAt = startedAt + seconds * 1000;
  const stop = AbortSignal.timeout(seconds * 1000 + TURN_TIMEOUT_MS);
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      if (START === 'spread') await new Promise((resolve) => setTimeout(resolve, (u * TURN_MS) / users));
      let first = true;
      let sentAt = performance.now(); // a busy retry's wait counts in the turn's duration
      while (performance.now() < endAt) {
        const sample = await turn(u, stop).catch(
          (error: unknown): TurnResult => ({
            ok: false,
            failure: stop.aborted ? 'timeout' : `transport:${error instanceof Error ? error.message : String(error)}`,
            ttftMs: NaN,
            gaps: [],
            chunks: 0,
            tailMs: NaN,
            endedAt: performance.now(),
            accepted: false,
          }),
        );
        if (sample === 'busy') {
          // The previous answer's bookkeeping is ending: the next turn races it by milliseconds.
          busy++;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        samples.push({ ...sample, durationMs: sample.endedAt - sentAt, first });
        first = false;
        sentAt = performance.now();
      }
    }),
  );
  // Turns started in the window, over the time until the last of them ended (an overloaded server's turns
  // end after the window; counting only those ending inside it would say 0).
  const lastEnd = Math.max(endAt, ...samples.map((s) => s.endedAt));
  const ok = samples.filter((s) => s.ok);
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const totalDurationMs = samples.reduce((sum, s) => sum + s.durationMs, 0);
  const gaps = sorted(samples.flatMap((s) => s.gaps));
  const failures = new Map<string, number>();
  for (const s of samples) if (!s.ok) failures.set(s.failure ?? '?', (failures.get(s.failure ?? '?') ?? 0) + 1);
  return {
    turnsPerSecond: ok.length / ((lastEnd - startedAt) / 1000),
    // Users back to back are a closed loop: its rate is users over the mean turn time (Little's law). Unlike
    // the windowed rate above it has no edge effect: with 2.3 s turns a 15 s window fits 6 or 7 turns a user,
    // so 0.2 s longer turns can cost a whole turn a user plus an idle tail, and the windowed ratio moves in steps.
    closedLoopTurnsPerSecond: (users * ok.length) / (totalDurationMs / 1000),
    elapsedMs: lastEnd - startedAt,
    completed: ok.length,
    accepted: samples.filter((s) => s.accepted).length,
    chunks: samples.reduce((n, s) => n + s.chunks, 0),
    ttfts: sorted(ok.map((s) => s.ttftMs)),
    /** Every user's first turn: all sent in the same millisecond, on cold caches. */
    firstTtfts: sorted(ok.filter((s) => s.first).map((s) => s.ttftMs)),
    /** The turns after it. */
    laterTtfts: sorted(ok.filter((s) => !s.first).map((s) => s.ttftMs)),
    gaps,
    tails: sorted(ok.map((s) => s.tailMs)),
    failures,
    busy,
  };
}

type Matcher = (command: string, pgid: number, pid: number) => boolean;

/**
 * A process's command, process group and CPU milliseconds so far (/proc/<pid>/stat utime + stime; `reapedMs`:
 * cutime + cstime, what its exited children used), or null once it has exited.
 */
function procStat(pid: number): { command: string; pgid: number; cpuMs: number; reapedMs: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ms = (ticks: number) => ticks * 10; // USER_HZ 100
  return {
    command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    pgid: Number(fields[2]),
    cpuMs: ms(Number(fields[11]) + Number(fields[12])),
    reapedMs: ms(Number(fields[13]) + Number(fields[14])),
  };
}

/** The pids under /proc now. */
const livePids = (): number[] => readdirSync('/proc').flatMap((entry) => (/^\d+$/.test(entry) ? [Number(entry)] : []));

/**
 * CPU milliseconds used so far by every live process that `matches` (with `reaped`, also what its exited
 * children used, e.g. PostgreSQL's closed backends).
 */
function cpuMsOf(matches: Matcher, reaped = false): number {
  let total = 0;
  for (const pid of livePids()) {
    const stat = procStat(pid);
    if (stat && matches(stat.command, stat.pgid, pid)) total += stat.cpuMs + (reaped ? stat.reapedMs : 0);
  }
  return total;
}

/** CPU milliseconds used so far by every live process of a process group. */
export const groupCpuMs = (pgid: number): number => cpuMsOf((_, group) => group === pgid);

/** CPU milliseconds used so far by one process. */
const processCpuMs = (pid: number): number => cpuMsOf((_, __, id) => id === pid);

/**
 * CPU milliseconds used so far by the local PostgreSQL server's processes (the app's statements), counting
 * backends that closed meanwhile (the pool closes idle connections). Any other PostgreSQL on this machine
 * counts too: run the bench with the machine otherwise quiet.
 */
const postgresCpuMs = (): number => cpuMsOf((command) => command === 'postgres', true);

/** The whole machine's busy CPU milliseconds so far (/proc/stat: every state but idle and iowait). */
function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
}

/** Runs `load`, returning its result and the cores the whole machine kept busy meanwhile. */
async function withMachineCores<T extends { elapsedMs: number }>(load: Promise<T>): Promise<T & { machineCores: number }> {
  const before = machineBusyMs();
  const result = await load;
  return { ...result, machineCores: Math.round(((machineBusyMs() - before) / result.elapsedMs) * 100) / 100 };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Who kept the cores busy during a load's first burst (every user's first turn sent in the same
 * millisecond): each party's CPU sampled every 50 ms from the start, read back over [start, until]. A
 * process is matched to its party once, when first seen (PostgreSQL's backends come and go with the pool),
 * so a sample reads only the parties' own stat files; a backend that exits during the burst takes its CPU
 * with it (rare: the pool keeps its connections). The sampling runs on the load generator's thread, so its
 * own cost is in `load`.
 */
function burstSampler(parties: Record<string, Matcher>) {
  const partyOf = new Map<number, string | null>();
  const read = (): { at: number; values: Record<string, number> } => {
    const values: Record<string, number> = Object.fromEntries(Object.keys(parties).map((name) => [name, 0]));
    for (const pid of livePids()) {
      const known = partyOf.get(pid);
      if (known === null) continue;
      const stat = procStat(pid);
      if (!stat) continue;
      const party = known ?? Object.keys(parties).find((name) => parties[name]!(stat.command, stat.pgid, pid)) ?? null;
      partyOf.set(pid, party);
      if (party) values[party]! += stat.cpuMs;
    }
    return { at: performance.now(), values: { ...values, machine: machineBusyMs() } };
  };
  const samples = [read()];
  // Until cores() is asked (unref'd: a load that throws does not keep the bench alive).
  const timer = setInterval(() => samples.push(read()), 50).unref();
  return {
    /** Cores each party used from the start until `untilMs` after it (the sample nearest it). */
    cores(untilMs: number): Record<string, number> {
      clearInterval(timer);
      const start = samples[0]!;
      const end = samples.reduce((best, s) => (Math.abs(s.at - start.at - untilMs) < Math.abs(best.at - start.at - untilMs) ? s : best));
      const span = Math.max(1, end.at - start.at);
      return Object.fromEntries(Object.entries(end.values).map(([name, ms]) => [name, Math.round(((ms - start.values[name]!) / span) * 100) / 100]));
    },
  };
}

interface Setup {
  db: DatabaseKind;
  instances: number;
}

async function benchSetup(setup: Setup, levels: number[], seconds: number, metrics: Record<string, number>, notes: string[]): Promise<void> {
  const sim = await startSimulatorProcess(KEY, PACE);
  const database: ThrowawayDatabase = await createThrowawayDatabase(setup.db);
  let server: ServerProcess | undefined;
  let proxy: BareProxy | undefined;
  try {
    // The floor: the same load through a proxy that only pipes bytes (no app), in its own process.
    proxy = await startBareProxy(sim.url);
    const users = await createUsers(database, Math.max(...levels), SECRET, 'capacity');
    server = await startServer({
      database,
      secret: SECRET,
      kimi: { baseURL: sim.url, apiKey: KEY },
      env: {
        RATE_LIMIT_CHAT_PER_MINUTE: '0',
        BENCH_BASELINE_ROUTES: 'true',
        ...(setup.instances > 1 ? { INSTANCES: String(setup.instances), REDIS_URL } : {}),
        // A CPU profile of each server process, written when it stops (open in Chrome DevTools).
        ...(CPU_PROFILE_DIR ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${CPU_PROFILE_DIR}`.trim() } : {}),
      },
    });
    const origin = server.origin;
    // Warm-up, not counted: module loading, pools and the JIT (a server at its busiest minute has been up
    // for a while), by 20 users at once, twice each, in conversations of their own.
    const warmUsers = users.slice(0, 20 * setup.instances);
    await Promise.all(
      warmUsers.map(async (user) => {
        const warm = randomUUID();
        for (let i = 0; i < 2; i++) await appTurn(origin, user, warm, AbortSignal.timeout(60_000));
      }),
    );

    const allConversations: string[] = [];
    let acceptedTotal = 0;
    for (const n of levels) {
      const direct = await withMachineCores(runLoad(n, seconds, (_, signal) => directTurn(sim.url, signal)));
      const proxyCpuBefore = processCpuMs(proxy.pid);
      const bare = await runLoad(n, seconds, (_, signal) => directTurn(proxy!.url, signal));
      const proxyCpuMs = processCpuMs(proxy.pid) - proxyCpuBefore;
      const conversations = Array.from({ length: n }, () => randomUUID());
      allConversations.push(...conversations);
      const cpuBefore = groupCpuMs(server.pgid);
      const databaseCpuBefore = postgresCpuMs();
      const serverPgid = server.pgid;
      const burst = burstSampler({
        server: (_, group) => group === serverPgid,
        ...(setup.db === 'postgres' ? { postgres: (command: string) => command === 'postgres' } : {}),
        simulator: (_, group) => group === sim.pgid,
        load: (_, __, pid) => pid === process.pid,
      });
      const app = await withMachineCores(runLoad(n, seconds, (u, signal) => appTurn(origin, users[u]!, conversations[u]!, signal)));
      const burstMs = app.firstTtfts.at(-1) ?? 0;
      const burstCores = burst.cores(burstMs);
      const cpuMs = groupCpuMs(server.pgid) - cpuBefore;
      const databaseCpuMs = postgresCpuMs() - databaseCpuBefore;
      acceptedTotal += app.accepted;
      const key = `${setup.db}_${setup.instances}x_${n}u${START === 'spread' ? '_spread' : ''}`;
      Object.assign(metrics, {
        [`${key}_turns_per_s`]: round(app.turnsPerSecond),
        [`${key}_direct_turns_per_s`]: round(direct.turnsPerSecond),
        [`${key}_vs_direct`]: Math.round((app.turnsPerSecond / direct.turnsPerSecond) * 100) / 100,
        [`${key}_added_ttft_p50_ms`]: round(percentile(app.ttfts, 50) - percentile(direct.ttfts, 50)),
        [`${key}_added_ttft_p99_ms`]: round(percentile(app.ttfts, 99) - percentile(direct.ttfts, 99)),
        [`${key}_closed_loop_vs_direct`]: Math.round((app.closedLoopTurnsPerSecond / direct.closedLoopTurnsPerSecond) * 100) / 100,
        // The same split in two: every user's first turn (the burst), and the turns after it.
        [`${key}_added_ttft_first_turn_p50_ms`]: round(percentile(app.firstTtfts, 50) - percentile(direct.firstTtfts, 50)),
        [`${key}_added_ttft_first_turn_p99_ms`]: round(percentile(app.firstTtfts, 99) - percentile(direct.firstTtfts, 99)),
        [`${key}_added_ttft_later_p50_ms`]: round(percentile(app.laterTtfts, 50) - percentile(direct.laterTtfts, 50)),
        [`${key}_added_ttft_later_p99_ms`]: round(percentile(app.laterTtfts, 99) - percentile(direct.laterTtfts, 99)),
        // The wait after the last words: the answer's save before `finish` (the next turn waits for it).
        [`${key}_added_tail_p50_ms`]: round(percentile(app.tails, 50) - percentile(direct.tails, 50)),
        [`${key}_added_tail_p99_ms`]: round(percentile(app.tails, 99) - percentile(direct.tails, 99)),
        [`${key}_chunk_gap_p50_ms`]: round(percentile(app.gaps, 50)),
        [`${key}_chunk_gap_p99_ms`]: round(percentile(app.gaps, 99)),
        [`${key}_direct_chunk_gap_p99_ms`]: round(percentile(direct.gaps, 99)),
        [`${key}_failed_turns`]: [...app.failures.values()].reduce((a, b) => a + b, 0),
        [`${key}_cpu_ms_per_turn`]: round(cpuMs / Math.max(1, app.completed)),
        [`${key}_cpu_ms_per_chunk`]: Math.round((cpuMs / Math.max(1, app.chunks)) * 100) / 100,
        [`${key}_server_cores`]: Math.round((cpuMs / app.elapsedMs) * 100) / 100,
        ...(setup.db === 'postgres' ? { [`${key}_postgres_cpu_ms_per_turn`]: round(databaseCpuMs / Math.max(1, app.completed)) } : {}),
        [`${key}_bare_proxy_vs_direct`]: Math.round((bare.turnsPerSecond / direct.turnsPerSecond) * 100) / 100,
        [`${key}_bare_proxy_added_ttft_p50_ms`]: round(percentile(bare.ttfts, 50) - percentile(direct.ttfts, 50)),
        [`${key}_bare_proxy_added_ttft_p99_ms`]: round(percentile(bare.ttfts, 99) - percentile(direct.ttfts, 99)),
        [`${key}_bare_proxy_added_ttft_first_turn_p99_ms`]: round(percentile(bare.firstTtfts, 99) - percentile(direct.firstTtfts, 99)),
        // The first burst: until the last first turn's first words, the cores each process kept busy.
        ...(START === 'together'
          ? {
              [`${key}_burst_ms`]: round(burstMs),
              ...Object.fromEntries(Object.entries(burstCores).map(([name, cores]) => [`${key}_burst_cores_${name}`, cores])),
            }
          : {}),
        [`${key}_bare_proxy_cpu_ms_per_turn`]: round(proxyCpuMs / Math.max(1, bare.completed)),
        // Everything on the machine (load generator, simulator, server, PostgreSQL): how close to its 2 cores.
        [`${key}_machine_cores_direct`]: direct.machineCores,
        [`${key}_machine_cores_app`]: app.machineCores,
        [`${key}_vs_bare_proxy`]: Math.round((app.turnsPerSecond / bare.turnsPerSecond) * 100) / 100,
      });
      if (app.failures.size > 0) notes.push(`${key} failures: ${[...app.failures].map(([why, count]) => `${why} ×${count}`).join(', ')}`);
      if (direct.failures.size > 0)
        notes.push(`${key} direct failures: ${[...direct.failures].map(([why, count]) => `${why} ×${count}`).join(', ')}`);
      const level = Object.entries(metrics).filter(([name]) => name.startsWith(`${key}_`));
      console.log(`  ${key} (${app.busy} busy retries): ${level.map(([name, value]) => `${name.slice(key.length + 1)}=${value}`).join(' ')}`);
      for (const note of notes.filter((n) => n.startsWith(key))) console.log(`  ${note}`);
    }

    // Writing a long run's CPU profile at exit takes longer than the default grace.
    await server.stop(CPU_PROFILE_DIR ? 120_000 : undefined);
    server = undefined;
    // Nothing lost: every accepted turn has its user message and its usage row.
    const stored = await database.use(async (prisma) => {
      const where = { conversationId: { in: allConversations } };
      return {
        user: await prisma.message.count({ where: { ...where, role: 'user' } }),
        usage: await prisma.usage.count({ where: { ...where, purpose: 'chat' } }),
        streaming: await prisma.message.count({ where: { ...where, status: 'streaming' } }),
      };
    });
    const key = `${setup.db}_${setup.instances}x`;
    metrics[`${key}_accepted_turns`] = acceptedTotal;
    metrics[`${key}_lost_user_messages`] = acceptedTotal - stored.user;
    metrics[`${key}_usage_rows_minus_turns`] = stored.usage - acceptedTotal;
    metrics[`${key}_answers_left_streaming`] = stored.streaming;
  } finally {
    proxy?.close();
    await server?.kill();
    await sim.close();
    await database.cleanup();
  }
}

export async function benchCapacity(): Promise<BenchResult> {
  const levels = list('BENCH_CAPACITY_USERS', '20,50,200,500').map(Number);
  const seconds = Number(process.env.BENCH_CAPACITY_SECONDS ?? 20);
  const dbs = list('BENCH_CAPACITY_DB', 'pglite,postgres') as DatabaseKind[];
  const instances = list('BENCH_CAPACITY_INSTANCES', '1').map(Number);
  const metrics: Record<string, number> = {};
  const notes: string[] = [];
  for (const db of dbs) {
    for (const n of instances) {
      // Several instances share a PostgreSQL server (the embedded database has one process).
      if (n > 1 && db !== 'postgres') continue;
      console.log(`  ${db}, ${n} instance(s): ${levels.join('/')} users × ${seconds} s`);
      await benchSetup({ db, instances: n }, levels, seconds, metrics, notes);
    }
  }
  if (process.env.BENCH_CAPACITY_BROWSER !== '0') {
    const { benchClickToPaint } = await import('./click-to-paint');
    Object.assign(metrics, await benchClickToPaint());
  }
  return {
    name: `capacity: paced simulator (${PACE.ttftMs} ms TTFT, ${PACE.tokensPerSecond} tokens/s, ${ANSWER_TOKENS}-token answers), users sending turns back to back for ${seconds} s`,
    metrics,
    notes: [
      'each level: the same load straight to the simulator, through a bare proxy (the floor), then through the app; server CPU = its process group from /proc',
      ...notes,
    ].join('; '),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchCapacity(), null, 2));
  process.exit(0);
}

// Load: 200 users × 5 turns at once against one instance (embedded PGlite; BENCH_LOAD_DB=postgres for the
// local PostgreSQL), each user its own conversation sending its turns in sequence. Reports lost messages
// and usage rows from the database, and the time to first token the app adds over the simulator called
// directly at the same concurrency in the same run. Simulator unpaced, in its own process.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  createThrowawayDatabase,
  createUsers,
  type DatabaseKind,
  startServer,
  startSimulatorProcess,
  streamTurn,
  type TestUser,
} from '../tests/support/server-process';
import { percentile } from './stats';
import type { BenchResult } from './types';

const USERS = 200;
const TURNS = 5;
const PROMPT = 'reply with 20 tokens';
const SECRET = 'bench-load-secret-0123456789abcdef012345';
const KEY = 'sk-bench-load';
// Bounds: the whole bench stays within about three minutes even when something hangs.
const PHASE_TIMEOUT_MS = 75_000;

/** Time to the first content chunk of a streamed completion, straight from the simulator. */
async function directTtft(simUrl: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${simUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, stream: true, messages: [{ role: 'user', content: PROMPT }] }),
    signal: AbortSignal.timeout(PHASE_TIMEOUT_MS),
  });
  if (!res.ok || !res.body) throw new Error(`simulator: HTTP ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let seen = '';
  let ttft = NaN;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (!Number.isNaN(ttft)) continue;
    seen += next.value;
    if (seen.includes('"content":"')) ttft = performance.now() - t0;
  }
  return ttft;
}

/** Every user at once, each sending its turns in sequence. */
async function runUsers(turn: (userIndex: number) => Promise<number | null>): Promise<{ ttfts: number[]; failures: number }> {
  const ttfts: number[] = [];
  let failures = 0;
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      for (let t = 0; t < TURNS; t++) {
        const ttft = await turn(u).catch(() => null);
        if (ttft === null || Number.isNaN(ttft)) failures += 1;
        else ttfts.push(ttft);
      }
    }),
  );
  return { ttfts: ttfts.sort((a, b) => a - b), failures };
}

export async function benchLoad(): Promise<BenchResult> {
  const kind: DatabaseKind = process.env.BENCH_LOAD_DB === 'postgres' ? 'postgres' : 'pglite';
  const sim = await startSimulatorProcess(KEY);
  const database = await createThrowawayDatabase(kind);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const users: TestUser[] = await createUsers(database, USERS, SECRET, 'load');
    server = await startServer({ database, secret: SECRET, kimi: { baseURL: sim.url, apiKey: KEY }, env: { RATE_LIMIT_CHAT_PER_MINUTE: '0' } });
    const origin = server.origin;
    // Warm up the route (first requests load modules and open the pools); not counted below.
    for (let i = 0; i < 3; i++) await streamTurn(origin, users[0]!, { conversationId: randomUUID(), messageId: randomUUID(), text: PROMPT });

    const direct = await runUsers(() => directTtft(sim.url));

    const conversations = users.map(() => randomUUID());
    let busyRetries = 0;
    const app = await runUsers(async (u) => {
      const messageId = randomUUID();
      // The next turn can race the end of the previous answer's bookkeeping: a 409 says "busy", retry.
      for (let attempt = 0; attempt < 20; attempt++) {
        const seen = await streamTurn(origin, users[u]!, { conversationId: conversations[u]!, messageId, text: PROMPT });
        if (seen.status === 409) {
          busyRetries += 1;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        return seen.finished && seen.closed ? seen.firstTextMs : null;
      }
      return null;
    });

    await server.stop();
    server = undefined;
    const stored = await database.use(async (prisma) => {
      const where = { conversationId: { in: conversations } };
      return {
        user: await prisma.message.count({ where: { ...where, role: 'user' } }),
        complete: await prisma.message.count({ where: { ...where, role: 'assistant', status: 'complete' } }),
        assistant: await prisma.message.count({ where: { ...where, role: 'assistant' } }),
        usage: await prisma.usage.count({ where: { ...where, purpose: 'chat' } }),
      };
    });
    const turns = USERS * TURNS;
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      name: `load: ${USERS} users × ${TURNS} turns at once, one instance (${kind})`,
      metrics: {
        turns,
        failed_turns: app.failures,
        busy_409_retries: busyRetries,
        lost_user_messages: turns - stored.user,
        lost_or_unfinished_answers: turns - stored.complete,
        assistant_messages_not_complete: stored.assistant - stored.complete,
        chat_usage_rows: stored.usage,
        direct_ttft_p50_ms: round(percentile(direct.ttfts, 50)),
        direct_ttft_p99_ms: round(percentile(direct.ttfts, 99)),
        app_ttft_p50_ms: round(percentile(app.ttfts, 50)),
        app_ttft_p99_ms: round(percentile(app.ttfts, 99)),
        added_ttft_p50_ms: round(percentile(app.ttfts, 50) - percentile(direct.ttfts, 50)),
        added_ttft_p99_ms: round(percentile(app.ttfts, 99) - percentile(direct.ttfts, 99)),
      },
      notes: `direct phase then app phase, both ${USERS} concurrent × ${TURNS} sequential; simulator unpaced in its own process; targets: zero lost, usage rows == turns`,
    };
  } finally {
    await server?.kill();
    await sim.close();
    await database.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchLoad(), null, 2));
  process.exit(0);
}

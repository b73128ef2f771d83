// The real app (scripts/start.ts, built) against a simulator in its own process, with one signed-in
// user, for benchmarks. Everything on 127.0.0.1; close() stops every process and drops the data.
import { createThrowawayDatabase, createUsers, startServer, startSimulatorProcess } from '../tests/support/server-process';

const SECRET = 'bench-secret-0123456789abcdef0123456789';
const KEY = 'sk-bench';
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE;

export interface BenchApp {
  origin: string;
  simUrl: string;
  apiKey: string;
  cookie: string;
  close(): Promise<void>;
}

/** `pace`: the simulator's time to first token and tokens a second (unpaced by default: as fast as it can). */
export async function startBenchApp(kind: 'pglite' | 'postgres' = 'pglite', pace?: { ttftMs: number; tokensPerSecond: number }): Promise<BenchApp> {
  const sim = await startSimulatorProcess(KEY, pace);
  const database = await createThrowawayDatabase(kind);
  const [user] = await createUsers(database, 1, SECRET, 'bench');
  const server = await startServer({
    database,
    secret: SECRET,
    kimi: { baseURL: sim.url, apiKey: KEY },
    // One user sends hundreds of turns (and gateway calls) a minute here.
    env: {
      RATE_LIMIT_CHAT_PER_MINUTE: '0',
      RATE_LIMIT_API_KEY_PER_MINUTE: '0',
      RATE_LIMIT_API_USER_PER_MINUTE: '0',
      BENCH_BASELINE_ROUTES: 'true',
      // BENCH_CPU_PROFILE=<folder>: each server process writes a `--cpu-prof` profile there when it stops.
      ...(CPU_PROFILE_DIR ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${CPU_PROFILE_DIR}`.trim() } : {}),
    },
  });
  return {
    origin: server.origin,
    simUrl: sim.url,
    apiKey: KEY,
    cookie: user!.cookie,
    close: async () => {
      await server.stop();
      await sim.close();
      await database.cleanup();
    },
  };
}

// Every setting, read from the environment and validated once. Nothing else reads process.env for
// app settings. Read lazily: `next build` imports route modules without a runtime environment.
import path from 'node:path';
import { z } from 'zod';

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const schema = z.object({
  MOONSHOT_API_KEY: optional,
  MOONSHOT_BASE_URL: z.url().default('https://api.moonshot.cn/v1'),
  /** Billing currency; follows the platform (.ai → USD, otherwise CNY) unless set. */
  KIMI_CURRENCY: z.enum(['CNY', 'USD']).optional(),
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL (unset it to use the embedded database)')
      .optional(),
  ),
  DATA_DIR: z.string().default('./data'),
  AUTH_SECRET: optional,
  REDIS_URL: optional,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Keyless mode: the in-process simulator's port (0 = any free port) and pace. */
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SIMULATOR_TTFT_MS: z.coerce.number().int().min(0).default(300),
  SIMULATOR_TOKENS_PER_SECOND: z.coerce.number().min(0).default(60),
  /** Set by scripts/start.ts once the in-process simulator listens; not a user setting. */
  KIMI_SIMULATOR_URL: optional,
  KIMI_SIMULATOR_KEY: optional,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  kimi: {
    mode: 'api' | 'simulator';
    baseURL: string;
    /** undefined only in simulator mode before the simulator has started. */
    apiKey: string | undefined;
    currency: 'CNY' | 'USD';
  };
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  authSecret: string | undefined;
  redisUrl: string | undefined;
  port: number;
  host: string;
  simulator: { port: number; ttftMs: number; tokensPerSecond: number };
  logLevel: RawConfig['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid settings:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  const dataDir = path.resolve(raw.DATA_DIR);
  const simulated = raw.MOONSHOT_API_KEY === undefined;
  const baseURL = simulated ? (raw.KIMI_SIMULATOR_URL ?? 'http://127.0.0.1:0/v1') : raw.MOONSHOT_BASE_URL.replace(/\/+$/, '');
  return {
    kimi: {
      mode: simulated ? 'simulator' : 'api',
      baseURL,
      apiKey: simulated ? raw.KIMI_SIMULATOR_KEY : raw.MOONSHOT_API_KEY,
      currency: raw.KIMI_CURRENCY ?? (!simulated && new URL(baseURL).hostname.endsWith('.ai') ? 'USD' : 'CNY'),
    },
    database: raw.DATABASE_URL ? { kind: 'postgres', url: raw.DATABASE_URL } : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    authSecret: raw.AUTH_SECRET,
    redisUrl: raw.REDIS_URL,
    port: raw.PORT,
    host: raw.HOST,
    simulator: { port: raw.SIMULATOR_PORT, ttftMs: raw.SIMULATOR_TTFT_MS, tokensPerSecond: raw.SIMULATOR_TOKENS_PER_SECOND },
    logLevel: raw.LOG_LEVEL,
  };
}

let cached: Config | undefined;

/** The process's settings, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For the start script, which changes the environment (simulator URL, secret) before the app reads it. */
export function resetConfigForProcess(): void {
  cached = undefined;
}

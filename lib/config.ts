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
  /** Upstream patience: no first token / no next chunk within these → a clear timeout; retries before the first token. */
  KIMI_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  KIMI_STALL_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  KIMI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** The instance's default model: `auto` or a model id; an admin's choice on /admin/prices overrides it. */
  KIMI_DEFAULT_MODEL: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/i, 'KIMI_DEFAULT_MODEL must be auto or a model id such as kimi-k2.6')
    .default('auto'),
  /** Crash recovery: live answers are touched this often; a `streaming` answer untouched this long is orphaned. */
  ANSWER_HEARTBEAT_MS: z.coerce.number().int().positive().default(30_000),
  ANSWER_STALE_AFTER_MS: z.coerce.number().int().positive().default(90_000),
  /** Billing currency; follows the platform (.ai → USD, otherwise CNY) unless set. */
  KIMI_CURRENCY: z.enum(['CNY', 'USD']).optional(),
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL (unset it to use the embedded database)')
      .optional(),
  ),
  /**
   * Named prepared statements for a chat turn's statements (each PostgreSQL connection, and PGlite, prepares
   * them once). On PostgreSQL, off for a pooler that cannot keep them across transactions (PgBouncer in
   * transaction mode before 1.21).
   */
  DATABASE_PREPARED_STATEMENTS: optional.pipe(z.stringbool().optional()).transform((v) => v ?? true),
  DATA_DIR: z.string().default('./data'),
  AUTH_SECRET: optional,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Keyless mode: the in-process simulator's port (0 = any free port) and pace. */
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SIMULATOR_TTFT_MS: z.coerce.number().int().min(0).default(300),
  SIMULATOR_TOKENS_PER_SECOND: z.coerce.number().min(0).default(60),
  /** Largest document upload, in MB (Kimi's own file API stops at 100). */
  MAX_UPLOAD_MB: z.coerce.number().positive().max(1024).default(100),
  /** Set by scripts/start.ts once the in-process simulator listens; not a user setting. */
  KIMI_SIMULATOR_URL: optional,
  KIMI_SIMULATOR_KEY: optional,
  /** Shared rate-limit counters, resumable answers and Stop across instances; unset = this process's memory. */
  REDIS_URL: optional.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL')
      .optional(),
  ),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (its last entry). */
  TRUST_PROXY: optional.pipe(z.stringbool().optional()).transform((v) => v ?? false),
  /** Rate limits (0 = off): sign-in per IP and per email per minute, sign-up per IP per hour, chat per user per minute. */
  RATE_LIMIT_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_SIGN_IN_EMAIL_PER_MINUTE: z.coerce.number().int().min(0).default(5),
  RATE_LIMIT_SIGN_UP_PER_HOUR: z.coerce.number().int().min(0).default(5),
  RATE_LIMIT_CHAT_PER_MINUTE: z.coerce.number().int().min(0).default(20),
  /** The /api/v1 gateway: calls per personal key, and per user over all their keys, per minute. */
  RATE_LIMIT_API_KEY_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_API_USER_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  /** Who may create an account after the first (admin) one, until an admin changes it on /admin/access. */
  SIGNUP_POLICY: z.enum(['approval', 'invite', 'open', 'closed']).default('approval'),
  /** Server processes behind the one port (Node's cluster); more than 1 needs DATABASE_URL and REDIS_URL. */
  INSTANCES: z.coerce.number().int().min(1).max(64).optional(),
  /** The name some hosts use for the same thing; INSTANCES wins. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** OpenID Connect single sign-on: all three of issuer, client id and secret, or none. */
  OIDC_ISSUER: optional.pipe(z.url('OIDC_ISSUER must be the issuer URL, e.g. https://login.example.com/realms/team').optional()),
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  /** The sign-in button's label (e.g. the company's name for its sign-in). */
  OIDC_NAME: optional.transform((v) => v ?? 'SSO'),
  /** Members of this group (in the OIDC_ADMIN_CLAIM claim) become admins at sign-in. */
  OIDC_ADMIN_GROUP: optional,
  OIDC_ADMIN_CLAIM: optional.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'OIDC_ADMIN_CLAIM must be a claim name such as groups or roles')
      .optional(),
  ),
  /** false = only single sign-on: the password form is hidden and password sign-in and sign-up are refused. */
  PASSWORD_SIGNIN: optional.pipe(z.stringbool().optional()).transform((v) => v ?? true),
  /** `npm run bench` only: serves the bare-route baselines at /api/bench-baseline (never with a remote Kimi). */
  BENCH_BASELINE_ROUTES: optional.pipe(z.stringbool().optional()).transform((v) => v ?? false),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  kimi: {
    mode: 'api' | 'simulator';
    baseURL: string;
    /** undefined only in simulator mode before the simulator has started. */
    apiKey: string | undefined;
    currency: 'CNY' | 'USD';
    firstTokenTimeoutMs: number;
    stallTimeoutMs: number;
    /** Retries of a refused call (429 rate limit / overloaded, 5xx, no connection), before any token. */
    maxRetries: number;
    /** `auto` or a model id; used when no admin setting names one and it is served. */
    defaultModel: string;
  };
  database: ({ kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string }) & { preparedStatements: boolean };
  dataDir: string;
  authSecret: string | undefined;
  port: number;
  host: string;
  /** Server processes sharing `port` (scripts/start.ts forks them). */
  instances: number;
  simulator: { port: number; ttftMs: number; tokensPerSecond: number };
  recovery: { heartbeatMs: number; staleAfterMs: number };
  documents: { maxUploadBytes: number };
  bench: { baselineRoutes: boolean };
  auth: {
    /** The sign-up policy of a fresh instance (the admin's choice, kept in the database, wins). */
    signupPolicy: 'approval' | 'invite' | 'open' | 'closed';
    /** Password sign-in and sign-up; false only together with single sign-on. */
    passwordSignIn: boolean;
    oidc: OidcConfig | undefined;
  };
  security: {
    redisUrl: string | undefined;
    trustProxy: boolean;
    /** Requests allowed per window; 0 = no limit. */
    rateLimits: { signInPerIp: number; signInPerEmail: number; signUpPerIp: number; chatPerUser: number; apiPerKey: number; apiPerUser: number };
  };
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's label. */
  name: string;
  /** Members of this group become admins at sign-in; undefined = roles are not taken from the issuer. */
  adminGroup: string | undefined;
  /** The claim holding the user's groups (an array of strings, or one string). */
  adminClaim: string;
}

function oidcConfig(raw: RawConfig): OidcConfig | undefined {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = raw;
  if (!issuer && !clientId && !clientSecret) {
    if (raw.PASSWORD_SIGNIN === false)
      throw new ConfigError(
        'Invalid settings:\n  PASSWORD_SIGNIN: false needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET), or nobody could sign in',
      );
    return undefined;
  }
  if (!issuer || !clientId || !clientSecret) {
    throw new ConfigError('Invalid settings:\n  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three for single sign-on, or none');
  }
  return {
    // Exactly as given: it must equal the discovery document's `issuer`.
    issuer,
    clientId,
    clientSecret,
    name: raw.OIDC_NAME,
    adminGroup: raw.OIDC_ADMIN_GROUP,
    adminClaim: raw.OIDC_ADMIN_CLAIM ?? 'groups',
  };
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
  // The baselines call Kimi with no session: only ever against a simulator on this machine.
  if (raw.BENCH_BASELINE_ROUTES && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(baseURL).hostname)) {
    throw new ConfigError('Invalid settings:\n  BENCH_BASELINE_ROUTES: only for benchmarks against a simulator on 127.0.0.1');
  }
  const instances = raw.INSTANCES ?? raw.WEB_CONCURRENCY ?? 1;
  // The embedded database has one process; answers and Stop reach another process only through Redis.
  if (instances > 1 && (!raw.DATABASE_URL || !raw.REDIS_URL)) {
    throw new ConfigError('Invalid settings:\n  INSTANCES: more than one instance needs DATABASE_URL (PostgreSQL) and REDIS_URL');
  }
  return {
    kimi: {
      mode: simulated ? 'simulator' : 'api',
      baseURL,
      apiKey: simulated ? raw.KIMI_SIMULATOR_KEY : raw.MOONSHOT_API_KEY,
      currency: raw.KIMI_CURRENCY ?? (!simulated && new URL(baseURL).hostname.endsWith('.ai') ? 'USD' : 'CNY'),
      firstTokenTimeoutMs: raw.KIMI_FIRST_TOKEN_TIMEOUT_MS,
      stallTimeoutMs: raw.KIMI_STALL_TIMEOUT_MS,
      maxRetries: raw.KIMI_MAX_RETRIES,
      defaultModel: raw.KIMI_DEFAULT_MODEL,
    },
    database: {
      ...(raw.DATABASE_URL ? { kind: 'postgres', url: raw.DATABASE_URL } : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') }),
      preparedStatements: raw.DATABASE_PREPARED_STATEMENTS,
    },
    dataDir,
    authSecret: raw.AUTH_SECRET,
    port: raw.PORT,
    host: raw.HOST,
    instances,
    recovery: { heartbeatMs: raw.ANSWER_HEARTBEAT_MS, staleAfterMs: raw.ANSWER_STALE_AFTER_MS },
    simulator: { port: raw.SIMULATOR_PORT, ttftMs: raw.SIMULATOR_TTFT_MS, tokensPerSecond: raw.SIMULATOR_TOKENS_PER_SECOND },
    documents: { maxUploadBytes: Math.floor(raw.MAX_UPLOAD_MB * 1024 * 1024) },
    bench: { baselineRoutes: raw.BENCH_BASELINE_ROUTES },
    auth: { signupPolicy: raw.SIGNUP_POLICY, passwordSignIn: raw.PASSWORD_SIGNIN, oidc: oidcConfig(raw) },
    security: {
      redisUrl: raw.REDIS_URL,
      trustProxy: raw.TRUST_PROXY,
      rateLimits: {
        signInPerIp: raw.RATE_LIMIT_SIGN_IN_PER_MINUTE,
        signInPerEmail: raw.RATE_LIMIT_SIGN_IN_EMAIL_PER_MINUTE,
        signUpPerIp: raw.RATE_LIMIT_SIGN_UP_PER_HOUR,
        chatPerUser: raw.RATE_LIMIT_CHAT_PER_MINUTE,
        apiPerKey: raw.RATE_LIMIT_API_KEY_PER_MINUTE,
        apiPerUser: raw.RATE_LIMIT_API_USER_PER_MINUTE,
      },
    },
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

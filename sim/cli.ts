// `npm run sim -- --port 8787`: serve the simulator until SIGINT/SIGTERM. `--help` lists every option.
import { parseArgs } from 'node:util';
import { CATALOG_MODES } from './models';
import { DEFAULTS, type SimulatorOptions, USAGE_SHAPES } from './options';
import { startSimulator } from './server';
import { WEB_SEARCH_THINKING } from './web-search';

const HELP = `Kimi API simulator — serves http://HOST:PORT/v1/… (see sim/README.md)

Usage: npm run sim -- [options]

  --port N                 TCP port (default 8787; 0 = any free port)
  --catalog MODE           current | legacy (default ${DEFAULTS.catalog}): today's four models and rules,
                           or the 2025 catalog (moonshot-v1-*, auto routing, kimi-k2.5, …) with the old rules
  --host HOST              bind address (default ${DEFAULTS.host})
  --api-key KEY            accept only this key (repeatable; default: any non-empty key)
  --org NAME               organisation named in 429 messages (default ${DEFAULTS.org})
  --ttft-ms MS             delay before the first token (default 300 here; library default 0)
  --tokens-per-second N    streaming pace, 0 = unpaced (default 60 here; library default 0)
  --chunk-tokens N         tokens per streamed chunk (default ${DEFAULTS.chunkTokens})
  --usage-shape SHAPE      model | choice | choice+trailing (default ${DEFAULTS.usageShape}: kimi-k3 adds the
                           trailing usage chunk, the others send usage only in the finishing choice)
  --web-search-thinking M  refuse | accept: $web_search while thinking (default ${DEFAULTS.webSearchThinking})
  --tier N                 rate-limit tier 0–5 (default: unlimited)
  --concurrency N          explicit concurrency limit (with --rpm; overrides --tier)
  --rpm N                  explicit requests-per-minute limit (with --concurrency)
  --faults SPEC            faults for every chat request, e.g. "slow_first:2000,drop:40"
  --omit-context-length    drop context_length from GET /v1/models
  --balance N              starting available balance (default ${DEFAULTS.balance})
  --voucher N              part of the balance that is voucher, spent first (default ${DEFAULTS.voucher})
  --currency CUR           CNY | USD, for pricing (default ${DEFAULTS.currency})
  --log-size N             request-log ring size (default ${DEFAULTS.logSize})
  --max-file-bytes N       per-file upload limit (default ${DEFAULTS.maxFileBytes} = 100MB)
  --max-files N            files per account (default ${DEFAULTS.maxFiles})
  --max-total-file-bytes N total stored bytes (default ${DEFAULTS.maxTotalFileBytes} = 10GB)
  --cache-ttl-ms MS        how long a context-cache prefix is remembered (default ${DEFAULTS.cacheTtlMs})
  --cache-entries N        context-cache prefixes kept, LRU (default ${DEFAULTS.cacheEntries})
  --help                   show this help
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    catalog: { type: 'string' },
    host: { type: 'string' },
    'api-key': { type: 'string', multiple: true },
    org: { type: 'string' },
    'ttft-ms': { type: 'string', default: '300' },
    'tokens-per-second': { type: 'string', default: '60' },
    'chunk-tokens': { type: 'string' },
    'usage-shape': { type: 'string' },
    'web-search-thinking': { type: 'string' },
    tier: { type: 'string' },
    concurrency: { type: 'string' },
    rpm: { type: 'string' },
    faults: { type: 'string' },
    'omit-context-length': { type: 'boolean' },
    balance: { type: 'string' },
    voucher: { type: 'string' },
    currency: { type: 'string' },
    'log-size': { type: 'string' },
    'max-file-bytes': { type: 'string' },
    'max-files': { type: 'string' },
    'max-total-file-bytes': { type: 'string' },
    'cache-ttl-ms': { type: 'string' },
    'cache-entries': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative number, got ${value}\n`);
    process.exit(2);
  }
  return n;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    process.stderr.write(`--${name} must be one of ${allowed.join(', ')}, got ${value}\n`);
    process.exit(2);
  }
  return value as T;
}

const concurrency = num('concurrency', values.concurrency);
const rpm = num('rpm', values.rpm);
const options: SimulatorOptions = {
  port: num('port', values.port),
  catalog: oneOf('catalog', values.catalog, CATALOG_MODES),
  host: values.host,
  apiKeys: values['api-key'],
  org: values.org,
  ttftMs: num('ttft-ms', values['ttft-ms']),
  tokensPerSecond: num('tokens-per-second', values['tokens-per-second']),
  chunkTokens: num('chunk-tokens', values['chunk-tokens']),
  usageShape: oneOf('usage-shape', values['usage-shape'], USAGE_SHAPES),
  webSearchThinking: oneOf('web-search-thinking', values['web-search-thinking'], WEB_SEARCH_THINKING),
  tier: concurrency !== undefined || rpm !== undefined ? { concurrency: concurrency ?? Infinity, rpm: rpm ?? Infinity } : num('tier', values.tier),
  faults: values.faults,
  omitContextLength: values['omit-context-length'],
  balance: num('balance', values.balance),
  voucher: num('voucher', values.voucher),
  currency: oneOf('currency', values.currency, ['CNY', 'USD'] as const),
  logSize: num('log-size', values['log-size']),
  maxFileBytes: num('max-file-bytes', values['max-file-bytes']),
  maxFiles: num('max-files', values['max-files']),
  maxTotalFileBytes: num('max-total-file-bytes', values['max-total-file-bytes']),
  cacheTtlMs: num('cache-ttl-ms', values['cache-ttl-ms']),
  cacheEntries: num('cache-entries', values['cache-entries']),
};

const sim = await startSimulator(options);
process.stdout.write(`Kimi simulator listening on ${sim.url} (Ctrl-C to stop)\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: closing\n`);
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

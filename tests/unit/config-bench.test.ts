// The benchmark baselines call Kimi without a session: the setting that serves them is refused unless
// Kimi is a simulator on this machine.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

describe('BENCH_BASELINE_ROUTES', () => {
  it('is off by default', () => {
    expect(parseConfig({}).bench.baselineRoutes).toBe(false);
  });

  it('is allowed against a loopback simulator, keyless or with a key', () => {
    expect(parseConfig({ BENCH_BASELINE_ROUTES: 'true', KIMI_SIMULATOR_URL: 'http://127.0.0.1:8787/v1' }).bench.baselineRoutes).toBe(true);
    expect(
      parseConfig({ BENCH_BASELINE_ROUTES: 'true', MOONSHOT_API_KEY: 'sk-x', MOONSHOT_BASE_URL: 'http://localhost:8787/v1' }).bench.baselineRoutes,
    ).toBe(true);
  });

  it('is refused with a remote Kimi, whatever the key', () => {
    for (const url of ['https://api.moonshot.cn/v1', 'https://api.moonshot.ai/v1', 'http://10.0.0.5:8787/v1']) {
      expect(() => parseConfig({ BENCH_BASELINE_ROUTES: 'true', MOONSHOT_API_KEY: 'sk-x', MOONSHOT_BASE_URL: url })).toThrow(ConfigError);
    }
    expect(() => parseConfig({ BENCH_BASELINE_ROUTES: 'true', MOONSHOT_API_KEY: 'sk-x' })).toThrow(/only for benchmarks/);
  });
});

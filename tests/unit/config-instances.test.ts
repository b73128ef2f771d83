// INSTANCES: several server processes on one port need a shared database server and Redis.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

const shared = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('INSTANCES', () => {
  it('is one process by default', () => {
    expect(parseConfig({}).instances).toBe(1);
  });

  it('takes INSTANCES, else WEB_CONCURRENCY', () => {
    expect(parseConfig({ ...shared, INSTANCES: '4' }).instances).toBe(4);
    expect(parseConfig({ ...shared, WEB_CONCURRENCY: '3' }).instances).toBe(3);
    expect(parseConfig({ ...shared, INSTANCES: '2', WEB_CONCURRENCY: '8' }).instances).toBe(2);
  });

  it('refuses several processes without PostgreSQL and Redis, and nonsense counts', () => {
    expect(() => parseConfig({ INSTANCES: '2' })).toThrow(/needs DATABASE_URL \(PostgreSQL\) and REDIS_URL/);
    expect(() => parseConfig({ INSTANCES: '2', DATABASE_URL: shared.DATABASE_URL })).toThrow(ConfigError);
    expect(() => parseConfig({ INSTANCES: '2', REDIS_URL: shared.REDIS_URL })).toThrow(ConfigError);
    expect(() => parseConfig({ ...shared, INSTANCES: '0' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...shared, INSTANCES: 'many' })).toThrow(ConfigError);
  });
});

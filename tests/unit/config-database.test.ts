// The database settings: DATABASE_URL picks PostgreSQL, DATABASE_PREPARED_STATEMENTS the statement names of either.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

const url = 'postgres://postgres@127.0.0.1:5432/x';

describe('database settings', () => {
  it('is the embedded database without DATABASE_URL', () => {
    expect(parseConfig({}).database.kind).toBe('pglite');
  });

  it('names prepared statements on PGlite unless switched off', () => {
    expect(parseConfig({}).database).toMatchObject({ kind: 'pglite', preparedStatements: true });
    expect(parseConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({ kind: 'pglite', preparedStatements: false });
  });

  it('names prepared statements on PostgreSQL unless switched off', () => {
    expect(parseConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url, preparedStatements: true });
    expect(parseConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({ preparedStatements: false });
    expect(parseConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: '' }).database).toMatchObject({ preparedStatements: true });
    expect(() => parseConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(ConfigError);
  });
});

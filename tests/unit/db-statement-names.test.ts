import { describe, expect, it } from 'vitest';
import { statementNamer } from '@/lib/db/statement-names';

const query = (sql: string, parameters = 1) => ({ sql, args: Array.from({ length: parameters }, (_, i) => i) });

describe('statement names', () => {
  it('names a statement by its text: the same text the same name, another text another', () => {
    const name = statementNamer();
    const a = name(query('SELECT 1 WHERE $1::int = 1'));
    expect(a).toMatch(/^kc_[\w-]{27}$/);
    expect(name(query('SELECT 1 WHERE $1::int = 1'))).toBe(a);
    expect(name(query('SELECT 2 WHERE $1::int = 1'))).not.toBe(a);
    // Another process (or namer) derives the same name from the same text.
    expect(statementNamer()(query('SELECT 1 WHERE $1::int = 1'))).toBe(a);
  });

  it('leaves a statement with many parameters unnamed (its text varies with the data)', () => {
    const name = statementNamer();
    expect(name(query('INSERT … 64 values', 64))).not.toBe('');
    expect(name(query('INSERT … 65 values', 65))).toBe('');
  });

  it('names at most 256 statements; known ones keep their names after that', () => {
    const name = statementNamer();
    const first = name(query('SELECT 0'));
    for (let i = 1; i < 256; i++) expect(name(query(`SELECT ${i}`))).not.toBe('');
    expect(name(query('SELECT 256'))).toBe('');
    expect(name(query('SELECT 0'))).toBe(first);
  });
});

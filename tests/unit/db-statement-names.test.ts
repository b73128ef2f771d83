import { describe, expect, it, vi } from 'vitest';
import { prepared, statementNamer } from '@/lib/db/statement-names';

/** The query as Prisma hands it to the PostgreSQL adapter: the text with $n placeholders. */
const query = (sql: { text: string }) => ({ sql: sql.text });
/** What `prepared` puts before a statement's text. */
const MARKED = prepared``.text;

describe('statement names', () => {
  it('names a marked statement by its text: the same text the same name, another text another', () => {
    const name = statementNamer();
    const a = name(query(prepared`SELECT 1 WHERE ${1}::int = 1`));
    expect(a).toMatch(/^kc_[\w-]{27}$/);
    expect(name(query(prepared`SELECT 1 WHERE ${2}::int = 1`))).toBe(a); // another value, the same statement
    expect(name(query(prepared`SELECT 2 WHERE ${1}::int = 1`))).not.toBe(a);
    // Another process (or namer) derives the same name from the same text.
    expect(statementNamer()(query(prepared`SELECT 1 WHERE ${1}::int = 1`))).toBe(a);
  });

  it('leaves a statement that is not marked unnamed', () => {
    expect(statementNamer()({ sql: 'SELECT 1 WHERE $1::int = 1' })).toBe('');
  });

  it('names at most 128 statements, says so once, and keeps the known ones named after', () => {
    const full = vi.fn();
    const name = statementNamer(full);
    const first = name({ sql: `${MARKED}SELECT $1` });
    for (let i = 1; i < 128; i++) expect(name({ sql: `${MARKED}SELECT $1 + ${i}` })).not.toBe('');
    expect(full).not.toHaveBeenCalled();
    expect(name({ sql: `${MARKED}SELECT $1 + 128` })).toBe('');
    expect(name({ sql: `${MARKED}SELECT $1 + 129` })).toBe('');
    expect(full).toHaveBeenCalledTimes(1);
    expect(name({ sql: `${MARKED}SELECT $1` })).toBe(first);
  });
});

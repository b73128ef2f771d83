// Named prepared statements for PostgreSQL. Unnamed, every statement is parsed, analysed and planned anew
// on each call; named, each pooled connection prepares it once and then only binds and runs it (PostgreSQL
// keeps the plan). A chat turn's statements are the same few texts every time. The count is bounded: a
// statement whose text varies with its data (a list of n values) gets a name per n, so past a limit, or
// with many parameters, a statement stays unnamed (each name lives as long as its connection).
import { createHash } from 'node:crypto';

/** Distinct statements named per process; each pooled connection prepares at most this many. */
const MAX_NAMED = 256;
/** Statements with more parameters (multi-row inserts, long lists) vary too much to be worth a name. */
const MAX_PARAMETERS = 64;

/** For `PrismaPg`'s `statementNameGenerator`: a statement's name, or '' (unnamed: pg prepares it anew). */
export function statementNamer(): (query: { sql: string; args: readonly unknown[] }) => string {
  const names = new Map<string, string>();
  return ({ sql, args }) => {
    if (args.length > MAX_PARAMETERS) return '';
    const known = names.get(sql);
    if (known !== undefined) return known;
    if (names.size >= MAX_NAMED) return '';
    const name = `kc_${createHash('sha1').update(sql).digest('base64url')}`;
    names.set(sql, name);
    return name;
  };
}

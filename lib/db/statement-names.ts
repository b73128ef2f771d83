// Named prepared statements for PostgreSQL, for the statements marked with `prepared` below: the few that
// every chat turn runs (its session, quota, conversation read and writes). Unnamed, a statement is parsed,
// analysed and planned anew on each call; named, each pooled connection prepares it once and PostgreSQL
// may keep its plan. Only statements whose best plan does not depend on their values (lookups and writes
// by key) are marked: a kept plan is made for no values in particular, which a date range or a search
// would pay for. The count is bounded too (each name lives as long as its connection).
import { createHash } from 'node:crypto';
import { Prisma } from './generated/client';

const MARK = '/* prepared */ ';
/** Distinct statements named per process; each pooled connection prepares at most this many. */
const MAX_NAMED = 128;

/** `prisma.$queryRaw(prepared\`…\`)`: the statement, marked to be prepared under a name on PostgreSQL. */
export function prepared(strings: TemplateStringsArray, ...values: unknown[]): Prisma.Sql {
  return Prisma.sql([MARK + strings[0], ...strings.slice(1)], ...values);
}

/** For `PrismaPg`'s `statementNameGenerator`: a marked statement's name, or '' (unnamed: pg prepares it anew). */
export function statementNamer(onFull: () => void = warnFull): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  let full = false;
  return ({ sql }) => {
    if (!sql.startsWith(MARK)) return '';
    const known = names.get(sql);
    if (known !== undefined) return known;
    if (names.size >= MAX_NAMED) {
      if (!full) onFull();
      full = true;
      return '';
    }
    const name = `kc_${createHash('sha1').update(sql).digest('base64url')}`;
    names.set(sql, name);
    return name;
  };
}

function warnFull(): void {
  console.warn(`[db] ${MAX_NAMED} statements are named: further ones run unnamed (prepared on every call)`);
}

// Named prepared statements for PGlite, for the statements marked `prepared` (./statement-names). PGlite's
// own query() makes six calls into its WebAssembly Postgres per statement (parse, describe, bind, describe,
// execute, sync) and parses, analyses and plans the SQL every time. A marked statement is parsed once under
// its name; each run is then one call (bind, describe, execute, sync) on a plan Postgres may keep.
import { type PGlite, parse, protocol, type QueryOptions, type Results } from '@electric-sql/pglite';
import { statementNamer } from './statement-names';

const { serialize } = protocol;

/**
 * `pg` whose query() runs marked statements by name; everything else (and every other method) is PGlite's
 * own. One per PGlite instance: the names live in its single backend.
 */
export function withPreparedStatements(pg: PGlite, nameOf = statementNamer()): PGlite {
  /** Each prepared statement's parameter types (from its description), by name. */
  const parameterTypes = new Map<string, number[]>();
  /**
   * A caller's parsers over PGlite's (Prisma's adapter passes the same object each time), made once: given
   * separately, parseResults copies every type's parser into a new object on each statement. PGlite's own
   * are the prototype, so they are read live.
   */
  const mergedParsers = new WeakMap<object, typeof pg.parsers>();
  const parsersFor = (extra: QueryOptions['parsers']): typeof pg.parsers => {
    if (!extra) return pg.parsers;
    let merged = mergedParsers.get(extra);
    if (!merged) {
      merged = Object.assign(Object.create(pg.parsers) as typeof pg.parsers, extra);
      mergedParsers.set(extra, merged);
    }
    return merged;
  };

  async function prepare(name: string, sql: string): Promise<number[]> {
    const known = parameterTypes.get(name);
    if (known) return known;
    // Close first: a name left prepared by a run that failed after its Parse can be prepared again.
    const messages = await pg.execProtocolStream(
      Buffer.concat([
        serialize.close({ type: 'S', name }),
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const types = parse.parseDescribeStatementResults(messages);
    parameterTypes.set(name, types);
    return types;
  }

  async function run<T>(name: string, sql: string, params: unknown[], options: QueryOptions | undefined): Promise<Results<T>> {
    const types = await prepare(name, sql);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = types[i] ?? 0;
      const toText = options?.serializers?.[type] ?? pg.serializers[type];
      return toText ? toText(value) : String(value);
    });
    const messages = await pg.execProtocolStream(
      Buffer.concat([serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
    );
    return parse.parseResults(messages, parsersFor(options?.parsers), { rowMode: options?.rowMode })[0] as Results<T>;
  }

  async function query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    const name = nameOf({ sql });
    // What this path does not implement (files in and out, given parameter types, notices) is PGlite's.
    if (!name || options?.blob || options?.paramTypes || options?.onNotice) return pg.query<T>(sql, params, options);
    await pg._checkReady();
    // The same locks as PGlite's query(): never inside another caller's open transaction, never between
    // the steps of another statement.
    return pg._runExclusiveTransaction(() =>
      pg._runExclusiveQuery(async () => {
        try {
          return await run<T>(name, sql, params, options);
        } catch (error) {
          if (!invalidated(error)) throw error;
          // Refused at Bind, before anything ran: prepare it anew once.
          parameterTypes.delete(name);
          return run<T>(name, sql, params, options);
        }
      }),
    );
  }

  return new Proxy(pg, {
    get(target, key) {
      if (key === 'query') return query;
      const value: unknown = Reflect.get(target, key, target);
      // PGlite's methods use private fields: they must run on the instance itself, not on this proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The named statement is gone (26000) or its kept plan no longer fits the schema (0A000, after a migration). */
function invalidated(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '26000' || (code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type'));
}

// Group commit for ledger rows written on their own (recordUsage: the gateway, chat turns' unlinked rows,
// documents). Each row used to be its own transaction (an insert and two rollup upserts): at 200 concurrent
// gateway streams that was most of the server's time on PGlite, and on PostgreSQL each took a pooled
// connection. Here the rows that arrive in one turn of the event loop, or while a commit is in flight, are
// written together in one transaction (lib/usage/rollups.ts `ledgerWrites`: one statement, a multi-row
// insert with the rollups summed per key), one batch at a time per process. Each caller's promise settles
// with its own row.
//
// A batch waits for a pooled connection (an overloaded server waits rather than loses usage); holding one
// connection at a time, the ledger no longer competes with the turns' own saves for the pool. Plain Node (no server-only): the start script flushes it on shutdown.
import { db } from '@/lib/db';
import type { Prisma, PrismaClient } from '@/lib/db/generated/client';
import { processSingleton } from '@/lib/singleton';
import { ledgerWrites } from './rollups';

type Row = Prisma.UsageUncheckedCreateInput;

/** Rows per transaction: bounds the statement size (≈ 20 parameters a row) and the wait of the last caller. */
export const MAX_BATCH = 500;

interface Pending {
  row: Row;
  resolve(): void;
  reject(error: unknown): void;
}

export class LedgerWriter {
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly prisma: () => Promise<PrismaClient>,
    /** Called per row once it is committed (the quota cache), before its caller hears of it. */
    private readonly committed: (row: Row) => void,
  ) {}

  /** Resolves once the row (with its rollups) is committed; rejects if it could not be. */
  write(row: Row): Promise<void> {
    // Stamped now: the row's day and time are when it was handed over, not when its batch commits.
    const stamped = { ...row, createdAt: row.createdAt ?? new Date() };
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row: stamped, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves when every row handed over so far has been committed or rejected. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the rest of this turn of the event loop add its rows to the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, MAX_BATCH));
    this.draining = null; // synchronously after the queue was seen empty: a later write starts a new drain
  }

  /** Never throws: every caller's promise settles here. */
  private async commit(batch: Pending[]): Promise<void> {
    try {
      await this.transaction(batch.map((p) => p.row));
      for (const p of batch) this.settle(p);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One bad row (say a user deleted meanwhile) must not cost the others theirs: each on its own.
      for (const p of batch) {
        try {
          await this.transaction([p.row]);
          this.settle(p);
        } catch (own) {
          p.reject(own);
        }
      }
    }
  }

  /** The batch's one statement (./rollups.ts) is atomic by itself: no BEGIN/COMMIT round trips around it. */
  private async transaction(rows: Row[]): Promise<void> {
    const prisma = await this.prisma();
    const writes = ledgerWrites(prisma, rows);
    await (writes.length === 1 ? writes[0] : prisma.$transaction(writes));
  }

  private settle(p: Pending): void {
    try {
      this.committed(p.row);
    } catch {
      // The row is committed; a cache that missed it queries again when its entry expires.
    }
    p.resolve();
  }
}

const current = processSingleton('usage.ledgerWriter', () => ({ writer: undefined as LedgerWriter | undefined }));

/** The process's writer (one for every bundle's copy of this module), on the process's database. */
export function processLedgerWriter(committed: (row: Row) => void): LedgerWriter {
  current.writer ??= new LedgerWriter(db, committed);
  return current.writer;
}

/** On shutdown, before the database closes: commits every row already handed to the writer. */
export async function flushLedgerWrites(): Promise<void> {
  await current.writer?.flush();
}

// Recovery of answers left `streaming` by a crash: they have no writer any more, so they are marked
// interrupted, keeping what was saved, and the thread says so instead of showing an answer that never
// ends. Each instance touches the answers it is still streaming, so with a shared PostgreSQL an answer
// is orphaned only when nobody has touched it for a while.
import type { PrismaClient } from '@/lib/db';
import type { AppError } from '@/lib/errors';
import { activeStreams } from './index';

const INTERRUPTED: AppError = { code: 'interrupted', retryable: true };

/** Marks `streaming` answers untouched for `staleAfterMs` (0: all of them) as interrupted. */
export async function markInterruptedAnswers(prisma: PrismaClient, staleAfterMs: number): Promise<number> {
  const { count } = await prisma.message.updateMany({
    where: { status: 'streaming', updatedAt: { lt: new Date(Date.now() - staleAfterMs) } },
    data: { status: 'interrupted', error: INTERRUPTED as unknown as object },
  });
  return count;
}

/** Shows every instance that this one's live answers still have a writer. */
export async function touchLiveAnswers(prisma: PrismaClient): Promise<void> {
  const ids = activeStreams.all().map((s) => s.messageId);
  if (ids.length === 0) return;
  await prisma.message.updateMany({ where: { id: { in: ids }, status: 'streaming' }, data: { updatedAt: new Date() } });
}

/** Touches live answers and sweeps orphaned ones every `heartbeatMs`; returns a stop function. */
export function startRecoveryLoop(prisma: PrismaClient, { heartbeatMs, staleAfterMs }: { heartbeatMs: number; staleAfterMs: number }): () => void {
  const timer = setInterval(() => {
    touchLiveAnswers(prisma)
      .then(() => markInterruptedAnswers(prisma, staleAfterMs))
      .catch((error: unknown) => console.error('[recovery] heartbeat failed', error));
  }, heartbeatMs);
  timer.unref();
  return () => clearInterval(timer);
}

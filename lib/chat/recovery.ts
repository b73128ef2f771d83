// After a crash or restart, answers that were streaming have no writer any more: mark them interrupted,
// keeping what was saved, so the thread says so instead of showing an answer that never ends.
import type { PrismaClient } from '@/lib/db';
import type { ChatError } from './types';

const INTERRUPTED: ChatError = { code: 'interrupted', retryable: true };

/**
 * With the embedded database this process is the only writer, so every streaming answer is orphaned.
 * With a shared PostgreSQL another instance may still be writing: only answers older than `staleAfterMs`.
 */
export async function markInterruptedAnswers(prisma: PrismaClient, staleAfterMs: number): Promise<number> {
  const { count } = await prisma.message.updateMany({
    where: { status: 'streaming', createdAt: { lt: new Date(Date.now() - staleAfterMs) } },
    data: { status: 'interrupted', error: INTERRUPTED as unknown as object },
  });
  return count;
}

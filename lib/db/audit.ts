// The audit log's writer: one row per administrative change, written with the transaction client of the
// change itself, so the row and the change commit (or roll back) together. In lib/db because every room
// that makes an admin change (admin, auth, usage, documents, chat's default model) may import it.
import type { Prisma } from './generated/client';

/** Who made the change: the signed-in admin (their email is kept, the account may go later). */
export interface AuditActor {
  id: string;
  email: string;
}

export interface AuditEntry {
  /** What changed: `user.role`, `user.disabled`, `user.approved`, `user.limits`, `price.set`, `setting.<name>` … */
  kind: string;
  /** `user:<id>`, `price:<model>/<currency>`, `setting:<key>`. */
  target: string;
  targetLabel?: string;
  before?: unknown;
  after?: unknown;
}

const json = (value: unknown): Prisma.InputJsonValue | undefined =>
  value === undefined
    ? undefined
    : (JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue);

/** Writes the row inside `tx` (the change's own transaction). */
export async function writeAudit(tx: Prisma.TransactionClient, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: actor.id,
      actorEmail: actor.email,
      kind: entry.kind,
      target: entry.target,
      targetLabel: entry.targetLabel ?? '',
      before: entry.before == null ? undefined : json(entry.before),
      after: entry.after == null ? undefined : json(entry.after),
    },
  });
}

// Reading the audit log (the rows are written by lib/db/audit.ts with each change): the admin page's
// filtered, newest-first pages (keyset on id) and the CSV export of everything a filter matches.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/db/generated/client';
import { csvLine, csvNumber, csvText } from '@/lib/usage/csv';

export const AUDIT_PAGE_ROWS = 50;
const EXPORT_PAGE_ROWS = 1000;

const text = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => v || undefined);

/** ?actor= (email, part of it) &target= (email, id or `user:<id>`, part of it) &kind= (exact) &before= (row id: older than) */
export const auditFilterSchema = z.object({
  actor: text,
  target: text,
  kind: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-zA-Z.]*$/)
    .optional()
    .transform((v) => v || undefined),
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
});
export type AuditFilter = Partial<{ [K in keyof z.infer<typeof auditFilterSchema>]: string }>;

/** The query string as a filter; anything unparseable is dropped, not an error (it is a page's URL). */
export function parseAuditFilter(params: URLSearchParams | Record<string, string | string[] | undefined>): AuditFilter {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return typeof v === 'string' ? v : undefined;
  };
  const out: AuditFilter = {};
  for (const key of ['actor', 'target', 'kind', 'before'] as const) {
    const one = auditFilterSchema.shape[key].safeParse(get(key));
    if (one.success && one.data !== undefined) out[key] = one.data;
  }
  return out;
}

function where(filter: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    ...(filter.actor ? { actorEmail: { contains: filter.actor, mode: 'insensitive' } } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.target
      ? { OR: [{ target: { contains: filter.target, mode: 'insensitive' } }, { targetLabel: { contains: filter.target, mode: 'insensitive' } }] }
      : {}),
  };
}

export interface AuditRow {
  id: string;
  at: Date;
  actorEmail: string;
  kind: string;
  target: string;
  targetLabel: string;
  before: unknown;
  after: unknown;
}

const toRow = (e: {
  id: bigint;
  at: Date;
  actorEmail: string;
  kind: string;
  target: string;
  targetLabel: string;
  before: unknown;
  after: unknown;
}): AuditRow => ({
  id: e.id.toString(),
  at: e.at,
  actorEmail: e.actorEmail,
  kind: e.kind,
  target: e.target,
  targetLabel: e.targetLabel,
  before: e.before,
  after: e.after,
});

/** One page, newest first; `nextBefore` continues with older rows (null: this was the last page). */
export async function listAudit(
  prisma: PrismaClient,
  filter: AuditFilter,
  limit = AUDIT_PAGE_ROWS,
): Promise<{ rows: AuditRow[]; nextBefore: string | null }> {
  const rows = await prisma.auditEvent.findMany({
    where: { ...where(filter), ...(filter.before ? { id: { lt: BigInt(filter.before) } } : {}) },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  const more = rows.length > limit;
  const page = rows.slice(0, limit).map(toRow);
  return { rows: page, nextBefore: more ? (page.at(-1)?.id ?? null) : null };
}

/** The kinds recorded so far (the filter's choices). */
export async function auditKinds(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.auditEvent.findMany({ distinct: ['kind'], select: { kind: true }, orderBy: { kind: 'asc' } });
  return rows.map((r) => r.kind);
}

/** A value as one line of text: JSON, strings bare. */
export function auditValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const AUDIT_CSV_HEADER = 'id,at,actor,kind,target,target_label,before,after';

/** Every row the filter matches (ignoring `before`), newest first, streamed a page at a time. */
export function exportAuditCsv(prisma: PrismaClient, filter: AuditFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: bigint | null = null;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`${AUDIT_CSV_HEADER}\r\n`));
      },
      async pull(controller) {
        if (done) return;
        const rows = await prisma.auditEvent.findMany({
          where: { ...where(filter), ...(before !== null ? { id: { lt: before } } : {}) },
          orderBy: { id: 'desc' },
          take: EXPORT_PAGE_ROWS,
        });
        if (rows.length > 0) {
          before = rows[rows.length - 1]!.id;
          const lines = rows.map((e) =>
            csvLine([
              csvNumber(e.id),
              csvNumber(e.at.toISOString()),
              csvText(e.actorEmail),
              csvText(e.kind),
              csvText(e.target),
              csvText(e.targetLabel),
              csvText(auditValue(e.before)),
              csvText(auditValue(e.after)),
            ]),
          );
          controller.enqueue(encoder.encode(lines.join('')));
        }
        if (rows.length < EXPORT_PAGE_ROWS) {
          done = true;
          controller.close();
        }
      },
    },
    { highWaterMark: 1 },
  );
}

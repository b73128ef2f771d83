// The export's period: ?from=&to= as UTC days (to inclusive) or ISO timestamps (to exclusive); default the last 30 days.
import { z } from 'zod';

const DAY = 86_400_000;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const bound = z.union([z.string().regex(isoDay), z.iso.datetime({ offset: true })]).optional();
const schema = z.object({ from: bound, to: bound });

/** null when the query is invalid. */
export function parseExportPeriod(params: URLSearchParams, now: Date = new Date()): { from: Date; to: Date } | null {
  const parsed = schema.safeParse({ from: params.get('from') || undefined, to: params.get('to') || undefined });
  if (!parsed.success) return null;
  const { from, to } = parsed.data;
  const start = from ? new Date(isoDay.test(from) ? `${from}T00:00:00Z` : from) : new Date(now.getTime() - 30 * DAY);
  const end = to ? (isoDay.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + DAY) : new Date(to)) : now;
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end) return null;
  return { from: start, to: end };
}

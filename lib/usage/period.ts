// The admin page's period, from the URL query: the rolling last 24 hours; 7d and 30d as that many UTC days
// up to now (today included), so they read only daily rollups; or custom whole UTC days.
import { z } from 'zod';

export const RANGES = ['24h', '7d', '30d', 'custom'] as const;
export type Range = (typeof RANGES)[number];

export interface Period {
  range: Range;
  from: Date;
  /** Exclusive. */
  to: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAYS: Record<Exclude<Range, 'custom' | '24h'>, number> = { '7d': 7, '30d': 30 };
const MAX_DAYS = 400;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));
const querySchema = z.object({
  range: z.enum(RANGES).catch('30d'),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
});

/** Never throws: an unreadable query falls back to the last 30 days. */
export function parsePeriod(query: Record<string, string | string[] | undefined>, now: Date = new Date()): Period {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const q = querySchema.parse({ range: first(query.range), from: first(query.from), to: first(query.to) });
  if (q.range === 'custom' && q.from && q.to) {
    const from = new Date(`${q.from}T00:00:00Z`);
    // `to` names the last day included.
    const to = new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY);
    if (from < to && to.getTime() - from.getTime() <= MAX_DAYS * DAY) return { range: 'custom', from, to };
  }
  const range = q.range === 'custom' ? '30d' : q.range;
  if (range === '24h') return { range, from: new Date(now.getTime() - DAY), to: now };
  return { range, from: new Date(dayStart(now).getTime() - (DAYS[range] - 1) * DAY), to: now };
}

export const dayStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
export const nextDayStart = (d: Date) => {
  const start = dayStart(d);
  return start.getTime() === d.getTime() ? start : new Date(start.getTime() + DAY);
};
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

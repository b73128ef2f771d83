// The sidebar's date groups (Today, Yesterday, Previous 7 days, Older), by calendar day in the reader's
// time zone. Pure, so it is tested without a browser.
import type { ConversationSummary } from '@/lib/chat/types';

export type DateGroup = 'today' | 'yesterday' | 'previous7' | 'older';
export const DATE_GROUPS: readonly DateGroup[] = ['today', 'yesterday', 'previous7', 'older'];

/** The calendar day of `date` in `timeZone`, as a day number (days since 1970-01-01 of that calendar). */
function dayNumber(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Math.floor(Date.UTC(get('year'), get('month') - 1, get('day')) / 86_400_000);
}

export function dateGroupOf(updatedAt: string, now: Date, timeZone: string): DateGroup {
  const days = dayNumber(now, timeZone) - dayNumber(new Date(updatedAt), timeZone);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days <= 7) return 'previous7';
  return 'older';
}

/** The list (newest first) cut into its groups, in order, empty groups left out. */
export function groupByDate(
  items: readonly ConversationSummary[],
  now: Date,
  timeZone: string,
): Array<{ group: DateGroup; items: ConversationSummary[] }> {
  const groups = new Map<DateGroup, ConversationSummary[]>();
  for (const item of items) {
    const group = dateGroupOf(item.updatedAt, now, timeZone);
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  return DATE_GROUPS.flatMap((group) => (groups.has(group) ? [{ group, items: groups.get(group)! }] : []));
}

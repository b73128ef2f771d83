'use client';
// The sidebar's list in sections: Pinned on top, then Today, Yesterday, Previous 7 days and Older by the
// reader's own calendar (their time zone, known only in the browser: until hydration the list is one
// section, so the server's render never disagrees with the browser's).
import { type ReactNode, useEffect, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import type { ConversationSummary } from '@/lib/chat/types';
import type { MessageKey } from '@/lib/i18n';
import { type DateGroup, groupByDate } from './date-groups';

const LABEL: Record<DateGroup, MessageKey> = {
  today: 'library.today',
  yesterday: 'library.yesterday',
  previous7: 'library.previous7',
  older: 'library.older',
};
const MINUTE_MS = 60_000;

function Section({ label, children }: { label: string | null; children: ReactNode }) {
  return (
    <section aria-label={label ?? undefined} className="flex flex-col">
      {label ? <h2 className="px-2.5 pt-3 pb-1 text-xs font-medium text-fg-faint">{label}</h2> : null}
      <ul className="flex flex-col gap-0.5">{children}</ul>
    </section>
  );
}

export interface ConversationGroupsProps {
  pinned: ConversationSummary[];
  items: ConversationSummary[];
  /** Searching titles: one flat list of results. */
  flat: boolean;
  row: (conversation: ConversationSummary) => ReactNode;
}

export function ConversationGroups({ pinned, items, flat, row }: ConversationGroupsProps) {
  const { t } = useI18n();
  const [clock, setClock] = useState<{ now: Date; timeZone: string } | null>(null);
  useEffect(() => {
    const tick = () => setClock({ now: new Date(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    tick();
    // "Today" becomes "Yesterday" at midnight for a sidebar left open.
    const timer = setInterval(tick, MINUTE_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <div className="flex flex-col">
      {pinned.length > 0 ? <Section label={t('library.pinned')}>{pinned.map(row)}</Section> : null}
      {flat || !clock ? (
        <Section label={null}>{items.map(row)}</Section>
      ) : (
        groupByDate(items, clock.now, clock.timeZone).map(({ group, items: inGroup }) => (
          <Section key={group} label={t(LABEL[group])}>
            {inGroup.map(row)}
          </Section>
        ))
      )}
    </div>
  );
}

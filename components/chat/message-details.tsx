'use client';
// Under each finished answer: which model answered, what it cost and how long it took (from the ledger).
// A compact line; "Details" opens the full breakdown. Every number also sits in data-value for tests.
import { useContext, useId, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import type { MessageDetails as Details } from '@/lib/contracts';
import type { MessageKey } from '@/lib/i18n';
import { formatExactCost, formatSeconds, formatTokens } from './format';
import { AUTO_ID, ModelLabelContext } from './model-options';

export function MessageDetails({ details }: { details: Details }) {
  const { t, locale } = useI18n();
  const modelLabel = useContext(ModelLabelContext);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const n = (value: number) => formatTokens(value, locale);
  const cost = formatExactCost(details.cost, details.currency);
  const seconds = (ms: number) => t('chat.detailsLine.seconds', { value: formatSeconds(ms) });
  const byAuto = details.requestedModel === AUTO_ID;

  const rows: Array<{ id: string; label: MessageKey; text: string; value: string }> = [
    { id: 'prompt', label: 'chat.detailsLine.prompt', text: n(details.promptTokens), value: String(details.promptTokens) },
    { id: 'cached', label: 'chat.detailsLine.cached', text: n(details.cachedTokens), value: String(details.cachedTokens) },
    { id: 'completion', label: 'chat.detailsLine.completion', text: n(details.completionTokens), value: String(details.completionTokens) },
    { id: 'reasoning', label: 'chat.detailsLine.reasoning', text: n(details.reasoningTokens), value: String(details.reasoningTokens) },
    { id: 'cost', label: 'chat.detailsLine.cost', text: cost, value: details.cost },
    {
      id: 'ttft',
      label: 'chat.detailsLine.ttft',
      text: details.ttftMs === null ? '–' : seconds(details.ttftMs),
      value: details.ttftMs === null ? '' : String(details.ttftMs),
    },
    { id: 'duration', label: 'chat.detailsLine.duration', text: seconds(details.durationMs), value: String(details.durationMs) },
  ];

  return (
    <section
      aria-label={t('chat.detailsLine.label')}
      data-testid="message-details"
      data-model={details.model}
      data-requested-model={details.requestedModel}
      data-calls={details.calls}
      data-estimated={details.estimated}
      className="flex flex-col gap-1 text-xs text-fg-faint"
    >
      <div className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
        <span className="font-medium text-fg-soft" data-testid="details-model">
          {modelLabel(details.model)}
        </span>
        {byAuto ? <span data-testid="details-auto">· {t('chat.detailsLine.chosenByAuto')}</span> : null}
        <span aria-hidden="true">·</span>
        <span>{t('chat.detailsLine.tokens', { count: n(details.promptTokens + details.completionTokens) })}</span>
        <span aria-hidden="true">·</span>
        <span>{cost}</span>
        <span aria-hidden="true">·</span>
        <span>{seconds(details.durationMs)}</span>
        {details.estimated ? <Badge testId="details-estimated">{t('chat.detailsLine.estimated')}</Badge> : null}
        {details.calls > 1 ? <Badge testId="details-calls">{t('chat.detailsLine.calls', { count: details.calls })}</Badge> : null}
        <button
          type="button"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((v) => !v)}
          className="ml-0.5 rounded px-1 text-fg-soft underline-offset-2 hover:text-fg hover:underline"
        >
          {t('chat.details')}
        </button>
      </div>
      <dl
        id={panelId}
        hidden={!open}
        className="grid w-fit grid-cols-[auto_auto] gap-x-4 gap-y-0.5 rounded-lg border border-line bg-sidebar px-3 py-2 sm:grid-cols-[auto_auto_auto_auto]"
      >
        {rows.map((row) => (
          <div key={row.id} className="contents">
            <dt>{t(row.label)}</dt>
            <dd className="text-right font-mono text-fg-soft tabular-nums" data-testid={`details-${row.id}`} data-value={row.value}>
              {row.text}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Badge({ children, testId }: { children: React.ReactNode; testId: string }) {
  return (
    <span data-testid={testId} className="rounded-full bg-muted px-1.5 py-px text-fg-soft">
      {children}
    </span>
  );
}

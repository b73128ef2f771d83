'use client';
// The context meter above the composer: history + documents + reserved answer against the window of the
// chosen model (or of auto's pick), this turn's cost at most, and what to do when it does not fit.
import { useEffect, useState } from 'react';
import { getContextBudget } from '@/components/api/client';
import { formatPrice } from '@/components/chat/format';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { ContextBudget } from '@/lib/contracts';
import { formatCount } from './format';

export interface ContextMeterProps {
  conversationId: string;
  model: string;
  /** Changes whenever what the next turn sends may have changed (documents, messages). */
  refreshKey: string;
  /** Images attached in the composer, not yet sent: counted in the meter and the cost. */
  draftImageIds: readonly string[];
  onSwitchModel: (model: string) => void;
  modelLabel: (id: string) => string;
}

const pct = (part: number, whole: number) => `${Math.min(100, (part / Math.max(1, whole)) * 100)}%`;

export function ContextMeter({ conversationId, model, refreshKey, draftImageIds, onSwitchModel, modelLabel }: ContextMeterProps) {
  const draftImages = draftImageIds.join(',');
  const { t, locale } = useI18n();
  const [budget, setBudget] = useState<ContextBudget | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the parent's "measure again" signal (a document finished, an answer ended).
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      void getContextBudget(conversationId, model, draftImages === '' ? [] : draftImages.split(','), controller.signal).then((result) => {
        if (result.ok) setBudget(result.value);
        else if (result.status !== 0) setBudget(null); // refused: hide; offline or aborted: keep what is shown
      });
    }, 150); // coalesce bursts (several files finishing together)
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [conversationId, model, refreshKey, draftImages]);

  // Shown when there is something worth showing: documents, or a conversation getting long.
  if (!budget || (budget.documentsTokens === 0 && budget.fits && budget.totalTokens < budget.window / 2)) return null;
  const n = (value: number) => formatCount(value, locale);
  const history = budget.systemTokens + budget.historyTokens;
  const whole = Math.max(budget.window, budget.totalTokens);
  return (
    <section
      aria-label={t('documents.meter.label')}
      data-testid="context-meter"
      className="flex flex-col gap-1.5 rounded-xl border border-line bg-surface px-3 py-2 text-xs"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-medium">{t('documents.meter.label')}</span>
        <span className={cn(!budget.fits && 'font-medium text-red-700 dark:text-red-300')}>
          {t('documents.meter.summary', { used: n(budget.totalTokens), window: n(budget.window) })}
        </span>
        {budget.servedModel && budget.servedModel !== budget.model ? (
          <span className="text-fg-soft" data-testid="context-served-model" data-model={budget.servedModel}>
            {t('documents.meter.servedBy', { model: modelLabel(budget.servedModel) })}
          </span>
        ) : null}
        {budget.cost ? (
          <span className="ml-auto text-fg-faint">
            {t('documents.meter.cost', { amount: formatPrice(budget.cost.amount, budget.cost.currency) })}
          </span>
        ) : null}
      </div>
      <div
        role="meter"
        aria-valuemin={0}
        aria-valuemax={budget.window}
        aria-valuenow={Math.min(budget.totalTokens, budget.window)}
        aria-label={t('documents.meter.summary', { used: n(budget.totalTokens), window: n(budget.window) })}
        className={cn('flex h-2 overflow-hidden rounded-full bg-muted', !budget.fits && 'ring-1 ring-red-500')}
      >
        <div className="bg-accent" style={{ width: pct(history, whole) }} />
        <div className="bg-sky-500" style={{ width: pct(budget.documentsTokens, whole) }} />
        <div className={budget.fits ? 'bg-fg/25' : 'bg-red-500'} style={{ width: pct(budget.reservedTokens, whole) }} />
      </div>
      <div className="flex flex-wrap gap-x-3 text-fg-faint">
        <span>{t('documents.meter.history', { count: n(history) })}</span>
        <span>{t('documents.meter.documents', { count: n(budget.documentsTokens) })}</span>
        <span>{t('documents.meter.reserved', { count: n(budget.reservedTokens) })}</span>
      </div>
      {!budget.fits ? (
        <div role="alert" className="flex flex-wrap items-center gap-2 text-red-800 dark:text-red-200">
          {budget.suggestedModel ? (
            <>
              <span>
                {t('documents.meter.overBy', { model: modelLabel(budget.model), over: n(budget.over), suggested: modelLabel(budget.suggestedModel) })}
              </span>
              <Button size="sm" variant="secondary" onClick={() => onSwitchModel(budget.suggestedModel!)}>
                {t('documents.meter.switchTo', { model: modelLabel(budget.suggestedModel) })}
              </Button>
            </>
          ) : (
            <span>{t('documents.meter.nothingFits', { over: n(budget.over) })}</span>
          )}
        </div>
      ) : null}
    </section>
  );
}

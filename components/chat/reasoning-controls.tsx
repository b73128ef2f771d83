'use client';
// Next to the picker: what the chosen model lets you set about its reasoning.
// Optional thinking (K2.6, and Auto, whose K2.6 honours it) → a Thinking switch; reasoning efforts (K3) →
// Effort: Default / Low / High / Max; always thinking without efforts → a small hint; no thinking → nothing.
import { useI18n } from '@/components/i18n-provider';
import { cn } from '@/components/ui/cn';
import type { ConversationSettings } from '@/lib/chat/types';
import type { ModelOption } from '@/lib/contracts';
import type { MessageKey } from '@/lib/i18n';

type Effort = ConversationSettings['reasoningEffort'];

export interface ReasoningControlsProps {
  model: ModelOption | undefined;
  thinking: boolean;
  reasoningEffort: Effort;
  onChange: (patch: Partial<Pick<ConversationSettings, 'thinking' | 'reasoningEffort'>>) => void;
  disabled?: boolean;
}

export function ReasoningControls({ model, thinking, reasoningEffort, onChange, disabled }: ReasoningControlsProps) {
  const { t } = useI18n();
  if (!model) return null;
  if (model.kind !== 'auto' && model.reasoningEfforts.length > 0) {
    return (
      <EffortControl
        efforts={model.reasoningEfforts}
        value={reasoningEffort}
        onChange={(e) => onChange({ reasoningEffort: e })}
        disabled={disabled}
      />
    );
  }
  if (model.kind === 'auto' || model.thinking === 'optional') {
    return (
      <ThinkingSwitch
        checked={thinking}
        onChange={(v) => onChange({ thinking: v })}
        disabled={disabled}
        hint={model.kind === 'auto' ? t('chat.reasoningControls.autoHint') : undefined}
      />
    );
  }
  if (model.thinking === 'always') {
    return <span className="hidden text-xs whitespace-nowrap text-fg-faint sm:inline">{t('chat.reasoningControls.alwaysThinks')}</span>;
  }
  return null;
}

function ThinkingSwitch({
  checked,
  onChange,
  disabled,
  hint,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
  hint?: string;
}) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      disabled={disabled}
      title={hint}
      onClick={() => onChange(!checked)}
      className="inline-flex h-9 shrink-0 items-center gap-2 rounded-lg px-2 text-sm text-fg-soft hover:bg-muted hover:text-fg disabled:opacity-60"
    >
      <span aria-hidden="true" className={cn('relative inline-block h-5 w-9 rounded-full transition-colors', checked ? 'bg-accent' : 'bg-fg/20')}>
        <span className={cn('absolute top-0.5 left-0.5 size-4 rounded-full bg-white shadow transition-transform', checked && 'translate-x-4')} />
      </span>
      {t('chat.reasoningControls.thinking')}
    </button>
  );
}

const EFFORT_LABEL: Record<'default' | 'low' | 'high' | 'max', MessageKey> = {
  default: 'chat.reasoningControls.effortDefault',
  low: 'chat.reasoningControls.effortLow',
  high: 'chat.reasoningControls.effortHigh',
  max: 'chat.reasoningControls.effortMax',
};

/** A segmented control (radio group; arrows move and choose, as native radios do); a compact select on phones. */
function EffortControl({
  efforts,
  value,
  onChange,
  disabled,
}: {
  efforts: ModelOption['reasoningEfforts'];
  value: Effort;
  onChange: (e: Effort) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const choices: Effort[] = [null, ...efforts];
  const index = Math.max(0, choices.indexOf(value));
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (index + step + choices.length) % choices.length;
    onChange(choices[next]!);
    e.currentTarget.querySelectorAll<HTMLElement>('[role="radio"]')[next]?.focus();
  };
  return (
    <div className="flex min-w-0 shrink-0 items-center gap-1.5">
      <select
        aria-label={t('chat.reasoningControls.effort')}
        value={value ?? ''}
        disabled={disabled}
        onChange={(e) => onChange((choices.find((c) => (c ?? '') === e.target.value) ?? null) as Effort)}
        className="h-8 rounded-lg border border-line bg-surface px-1.5 text-xs text-fg sm:hidden"
      >
        {choices.map((choice) => (
          <option key={choice ?? 'default'} value={choice ?? ''}>
            {t('chat.reasoningControls.effort')}: {t(EFFORT_LABEL[choice ?? 'default'])}
          </option>
        ))}
      </select>
      <span className="hidden text-xs text-fg-faint sm:inline" aria-hidden="true">
        {t('chat.reasoningControls.effort')}
      </span>
      <div
        role="radiogroup"
        aria-label={t('chat.reasoningControls.effort')}
        onKeyDown={onKeyDown}
        className="hidden h-8 rounded-lg border border-line bg-muted p-0.5 sm:inline-flex"
      >
        {choices.map((choice, i) => {
          const checked = i === index;
          return (
            <button
              key={choice ?? 'default'}
              type="button"
              role="radio"
              aria-checked={checked}
              tabIndex={checked ? 0 : -1}
              disabled={disabled}
              onClick={() => onChange(choice)}
              className={cn(
                'rounded-md px-2 text-xs font-medium transition-colors disabled:opacity-60',
                checked ? 'bg-surface text-fg shadow-sm' : 'text-fg-soft hover:text-fg',
              )}
            >
              {t(EFFORT_LABEL[choice ?? 'default'])}
            </button>
          );
        })}
      </div>
    </div>
  );
}

'use client';
import { useId } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { formatContextWindow, formatPrice } from './format';
import type { ModelOption } from './model-options';

export interface ModelPickerProps {
  models: ModelOption[];
  value: string;
  onChange: (modelId: string) => void;
  disabled?: boolean;
}

/** A native <select> (robust, accessible, keyboard and screen-reader friendly) named "Model". */
export function ModelPicker({ models, value, onChange, disabled }: ModelPickerProps) {
  const { t } = useI18n();
  const hintId = useId();
  const current = models.find((m) => m.id === value);
  // A conversation may use a model that is no longer listed: keep it selectable.
  const options = current || !value ? models : [...models, { id: value, label: value, contextWindow: 0, thinking: 'never' as const, temperature: { kind: 'range' as const, min: 0, max: 1, default: 0 }, priceHint: null }];
  const hint = current?.priceHint
    ? t('chat.priceHint', {
        input: formatPrice(current.priceHint.input, current.priceHint.currency),
        output: formatPrice(current.priceHint.output, current.priceHint.currency),
      })
    : current
      ? t('chat.priceUnknown')
      : '';

  return (
    <div className="flex min-w-0 items-center gap-2">
      <select
        aria-label={t('chat.model')}
        aria-describedby={hint ? hintId : undefined}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        className="h-9 max-w-[15rem] min-w-0 truncate rounded-lg border border-line bg-surface px-2.5 text-sm font-medium text-fg hover:bg-muted disabled:opacity-60"
      >
        {options.map((m) => {
          const window = formatContextWindow(m.contextWindow);
          return (
            <option key={m.id} value={m.id}>
              {window ? `${m.label} · ${window}` : m.label}
            </option>
          );
        })}
      </select>
      {hint ? (
        <span id={hintId} className="hidden truncate text-xs text-fg-faint sm:inline">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

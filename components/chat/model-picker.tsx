'use client';
// The model picker: a button that opens a listbox (WAI-ARIA listbox pattern). Arrows / Home / End move,
// Enter or Space chooses, Escape closes and focus returns to the button.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { cn } from '@/components/ui/cn';
import { CheckIcon, ChevronDownIcon } from '@/components/ui/icons';
import type { ModelOption } from '@/lib/contracts';
import { formatContextWindow } from './format';
import { ModelOptionRow, priceText } from './model-option-row';
import { unlistedModel } from './model-options';

export interface ModelPickerProps {
  models: ModelOption[];
  value: string;
  onChange: (modelId: string) => void;
  disabled?: boolean;
  /** Admins are told where to set a missing price. */
  isAdmin?: boolean;
}

export function ModelPicker({ models, value, onChange, disabled, isAdmin = false }: ModelPickerProps) {
  const { t } = useI18n();
  const labelId = useId();
  const valueId = useId();
  const hintId = useId();
  const listId = useId();
  const windowId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const listed = models.some((m) => m.id === value);
  // A conversation may use a model that is no longer listed: keep it shown.
  const options = listed || !value ? models : [...models, unlistedModel(value)];
  const current = options.find((m) => m.id === value);
  const optionId = useCallback((index: number) => `${listId}-${index}`, [listId]);

  const openList = () => {
    setActive(
      Math.max(
        0,
        options.findIndex((m) => m.id === value),
      ),
    );
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };
  const choose = (index: number) => {
    const model = options[index];
    close(true);
    if (model && model.id !== value) onChange(model.id);
  };

  useEffect(() => {
    if (!open) return;
    listRef.current?.focus();
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!listRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  useEffect(() => {
    if (open) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [open, active, optionId]);

  const onListKeyDown = (e: React.KeyboardEvent) => {
    const last = options.length - 1;
    const moves: Record<string, number> = { ArrowDown: Math.min(last, active + 1), ArrowUp: Math.max(0, active - 1), Home: 0, End: last };
    if (e.key in moves) {
      e.preventDefault();
      setActive(moves[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  const hint = current && listed ? priceText(current, t, isAdmin) : '';
  const window = current ? formatContextWindow(current.contextWindow) : '';

  return (
    <div className="relative flex min-w-0 items-center gap-2">
      <span id={labelId} className="sr-only">
        {t('chat.model')}
      </span>
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        // The window shown beside the name is part of it: the visible text is in the accessible name (WCAG 2.5.3).
        aria-labelledby={window && listed ? `${labelId} ${valueId} ${windowId}` : `${labelId} ${valueId}`}
        aria-describedby={hint ? hintId : undefined}
        disabled={disabled}
        onClick={() => (open ? close(false) : openList())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            openList();
          }
        }}
        className="inline-flex h-9 max-w-[16rem] min-w-[5.5rem] items-center gap-1.5 rounded-lg border border-line bg-surface px-2.5 text-sm font-medium text-fg hover:bg-muted disabled:opacity-60"
      >
        <span id={valueId} className="truncate" data-testid="model-picker-value" data-model={value}>
          {current?.label ?? value}
        </span>{' '}
        {window && listed ? (
          <span id={windowId} className="hidden shrink-0 text-xs font-normal text-fg-faint sm:inline">
            {window}
          </span>
        ) : null}
        <ChevronDownIcon width={14} height={14} className="shrink-0 text-fg-faint" />
      </button>
      {hint ? (
        <span id={hintId} className="hidden truncate text-xs text-fg-faint lg:inline">
          {hint}
        </span>
      ) : null}
      {open ? (
        <ul
          ref={listRef}
          id={listId}
          role="listbox"
          tabIndex={-1}
          aria-labelledby={labelId}
          aria-activedescendant={optionId(active)}
          onKeyDown={onListKeyDown}
          className="fixed top-14 right-3 left-3 z-30 mt-1 max-h-[min(70vh,32rem)] overflow-y-auto sm:absolute sm:top-full sm:right-auto sm:left-0 sm:w-[24rem] rounded-xl border border-line bg-surface p-1 shadow-lg outline-none"
        >
          {options.map((model, index) => {
            const selected = model.id === value;
            return (
              <li
                key={model.id}
                id={optionId(index)}
                role="option"
                aria-selected={selected}
                data-model={model.id}
                onClick={() => choose(index)}
                onPointerMove={() => setActive(index)}
                className={cn('flex cursor-pointer items-start gap-2 rounded-lg px-2.5 py-2', index === active && 'bg-muted')}
              >
                <ModelOptionRow model={model} isAdmin={isAdmin} unlisted={!models.includes(model)} />
                <CheckIcon className={cn('mt-0.5 ml-auto shrink-0 text-accent', !selected && 'invisible')} />
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

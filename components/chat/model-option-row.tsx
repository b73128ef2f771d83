'use client';
// One model as the picker lists it: name, what it is for, window, thinking, images and price.
import { useI18n } from '@/components/i18n-provider';
import type { ModelOption } from '@/lib/contracts';
import type { Translate } from '@/lib/i18n';
import { formatContextWindow, formatPrice } from './format';
import { descriptionKey } from './model-options';

const THINKING_KEY = {
  always: 'chat.picker.thinkingAlways',
  optional: 'chat.picker.thinkingOptional',
  never: 'chat.picker.thinkingNever',
} as const;

/** The price line of a model: per 1M input / output, or why there is none. */
export function priceText(model: ModelOption, t: Translate, isAdmin: boolean): string {
  if (model.kind === 'auto') return t('chat.priceAuto');
  if (!model.priceHint) return isAdmin ? t('chat.priceUnknownAdmin') : t('chat.priceUnknown');
  const { input, output, currency } = model.priceHint;
  return t('chat.priceHint', { input: formatPrice(input, currency), output: formatPrice(output, currency) });
}

export function ModelOptionRow({ model, isAdmin, unlisted }: { model: ModelOption; isAdmin: boolean; unlisted?: boolean }) {
  const { t } = useI18n();
  const window = formatContextWindow(model.contextWindow);
  const facts = unlisted
    ? [t('chat.picker.notListed')]
    : [
        window ? t('chat.contextWindow', { window }) : '',
        t(THINKING_KEY[model.thinking]),
        model.vision ? t('chat.picker.images') : t('chat.picker.noImages'),
      ].filter(Boolean);
  return (
    <span className="flex min-w-0 flex-col gap-0.5">
      <span className="truncate text-sm font-medium text-fg">{model.label}</span>
      {unlisted ? null : <span className="text-xs text-fg-soft">{t(descriptionKey(model))}</span>}
      <span className="flex flex-wrap gap-x-2 gap-y-0.5 text-xs text-fg-faint">
        {facts.map((fact) => (
          <span key={fact}>{fact}</span>
        ))}
        {unlisted ? null : (
          <span className={model.priceHint || model.kind === 'auto' ? undefined : 'text-amber-700 dark:text-amber-300'}>
            {priceText(model, t, isAdmin)}
            {model.priceHint && model.priceUnconfirmed ? (
              <abbr
                title={t('chat.priceUnconfirmedHint')}
                className="ml-1 rounded bg-amber-100 px-1 text-amber-800 no-underline dark:bg-amber-900/40 dark:text-amber-200"
              >
                {t('chat.priceUnconfirmed')}
              </abbr>
            ) : null}
          </span>
        )}
      </span>
    </span>
  );
}

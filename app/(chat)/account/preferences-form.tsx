'use client';
import { useActionState, useEffect, useId, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { buttonClass } from '@/components/ui/button';
import type { ModelOption } from '@/lib/contracts';
import { CUSTOM_INSTRUCTIONS_MAX_CHARS, type Preferences, THEMES, type Theme } from '@/lib/preferences/schema';
import { savePreferencesAction } from './preferences-actions';
import type { PreferencesFormState } from './preferences-state';

const fieldClass =
  'block w-full rounded-lg border border-line bg-bg px-3 py-2 text-sm text-fg shadow-xs outline-none ' +
  'placeholder:text-fg-faint focus:border-accent focus:ring-2 focus:ring-accent/20 aria-invalid:border-red-500';
const labelClass = 'mb-1.5 block text-sm font-medium text-fg';

/** The class <html> gets at once (the server renders the same from the next page on). */
function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  root.classList.remove('light', 'dark');
  if (theme !== 'system') root.classList.add(theme);
}

export interface PreferencesFormProps {
  initial: Preferences;
  /** The picker's list (Auto first when available). */
  models: ModelOption[];
  /** The instance default's id, named in the "instance default" choice. */
  instanceDefault: string;
}

export function PreferencesForm({ initial, models, instanceDefault }: PreferencesFormProps) {
  const { t, locale } = useI18n();
  const [state, formAction, pending] = useActionState(savePreferencesAction, { status: 'idle' } as PreferencesFormState);
  const id = useId();
  // Controlled, so what is chosen stays after the action (React resets uncontrolled fields).
  const [instructions, setInstructions] = useState(initial.customInstructions);
  const [defaultModel, setDefaultModel] = useState(initial.defaultModel ?? '');
  const [theme, setTheme] = useState<Theme>(initial.theme);
  const label = (model: string) => (model === 'auto' ? t('chat.picker.auto') : (models.find((m) => m.id === model)?.label ?? model));
  // A stored default that is no longer served is still shown (and can be changed), never silently replaced.
  const storedGone = initial.defaultModel !== null && !models.some((m) => m.id === initial.defaultModel);

  useEffect(() => {
    if (state.status === 'success') applyTheme(state.theme);
  }, [state]);

  const count = (n: number) => n.toLocaleString(locale);
  const errorId = `${id}-error`;
  const invalidInstructions = state.status === 'error' && state.error === 'instructions_too_long';
  const invalidModel = state.status === 'error' && state.error === 'model_not_served';

  return (
    <form action={formAction} className="space-y-5" noValidate>
      <div role="status" className="[&:not(:empty)]:-mb-1">
        {state.status === 'success' ? (
          <p className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900/60 dark:bg-emerald-950/40 dark:text-emerald-300">
            {t('preferences.saved')}
          </p>
        ) : null}
      </div>
      {state.status === 'error' ? (
        <p
          id={errorId}
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300"
        >
          {t(`preferences.errors.${state.error}`, { max: count(CUSTOM_INSTRUCTIONS_MAX_CHARS), count: count(state.count ?? 0) })}
        </p>
      ) : null}

      <div>
        <label htmlFor={`${id}-instructions`} className={labelClass}>
          {t('preferences.instructions')}
        </label>
        <textarea
          id={`${id}-instructions`}
          name="customInstructions"
          rows={5}
          maxLength={CUSTOM_INSTRUCTIONS_MAX_CHARS}
          value={instructions}
          onChange={(e) => setInstructions(e.target.value)}
          placeholder={t('preferences.instructionsPlaceholder')}
          aria-describedby={[`${id}-instructions-hint`, invalidInstructions ? errorId : null].filter(Boolean).join(' ')}
          aria-invalid={invalidInstructions || undefined}
          className={`${fieldClass} resize-y leading-relaxed`}
        />
        <div className="mt-1.5 flex gap-3 text-xs text-fg-faint">
          <p id={`${id}-instructions-hint`} className="flex-1">
            {t('preferences.instructionsHint', { max: count(CUSTOM_INSTRUCTIONS_MAX_CHARS) })}
          </p>
          <span data-testid="instructions-count" className="shrink-0 tabular-nums">
            {t('preferences.count', { count: count(instructions.length), max: count(CUSTOM_INSTRUCTIONS_MAX_CHARS) })}
          </span>
        </div>
      </div>

      <div>
        <label htmlFor={`${id}-model`} className={labelClass}>
          {t('preferences.defaultModel')}
        </label>
        <select
          id={`${id}-model`}
          name="defaultModel"
          value={defaultModel}
          onChange={(e) => setDefaultModel(e.target.value)}
          aria-invalid={invalidModel || undefined}
          aria-describedby={invalidModel ? errorId : undefined}
          className={fieldClass}
        >
          <option value="">{t('preferences.instanceDefault', { model: label(instanceDefault) })}</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {label(m.id)}
            </option>
          ))}
          {storedGone && initial.defaultModel ? <option value={initial.defaultModel}>{initial.defaultModel}</option> : null}
        </select>
      </div>

      <fieldset>
        <legend className={labelClass}>{t('preferences.theme')}</legend>
        <div className="flex flex-wrap gap-2">
          {THEMES.map((option) => (
            <label
              key={option}
              className="flex cursor-pointer items-center gap-2 rounded-lg border border-line px-3 py-1.5 text-sm has-checked:border-accent has-checked:bg-accent-soft"
            >
              <input
                type="radio"
                name="theme"
                value={option}
                checked={theme === option}
                onChange={() => setTheme(option)}
                className="accent-accent"
              />
              {t(`preferences.themes.${option}`)}
            </label>
          ))}
        </div>
      </fieldset>

      <button type="submit" disabled={pending} aria-busy={pending} className={buttonClass('primary', 'md')}>
        {t('preferences.save')}
      </button>
    </form>
  );
}

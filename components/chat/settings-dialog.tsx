'use client';
import { useEffect, useId, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { ConversationSettings } from '@/lib/chat/types';
import type { ModelOption } from './model-options';

export interface SettingsDialogProps {
  open: boolean;
  onClose: () => void;
  settings: ConversationSettings;
  model: ModelOption | undefined;
  /** Resolves false when saving failed (the dialog stays open with a message). */
  onSave: (settings: ConversationSettings) => Promise<boolean>;
}

export function SettingsDialog({ open, onClose, settings, model, onSave }: SettingsDialogProps) {
  const { t } = useI18n();
  const promptId = useId();
  const promptHintId = useId();
  const tempId = useId();
  const tempHintId = useId();
  const [systemPrompt, setSystemPrompt] = useState(settings.systemPrompt);
  const [temperature, setTemperature] = useState<number | null>(settings.temperature);
  const [saving, setSaving] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (open) {
      setSystemPrompt(settings.systemPrompt);
      setTemperature(settings.temperature);
      setFailed(false);
    }
  }, [open, settings]);

  // Models with a fixed temperature (all of today's) get no slider: Kimi applies its own.
  const fixed = !model || model.fixedTemperature;
  const modelDefault = model?.defaultTemperature ?? 1;
  const useDefault = temperature === null;
  const shown = temperature ?? modelDefault;

  const save = async () => {
    setSaving(true);
    setFailed(false);
    const ok = await onSave({ ...settings, systemPrompt, temperature: fixed ? settings.temperature : temperature });
    setSaving(false);
    if (ok) onClose();
    else setFailed(true);
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('chat.settingsTitle')}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button variant="primary" onClick={save} disabled={saving}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-1.5">
        <label htmlFor={promptId} className="text-sm font-medium">
          {t('chat.systemPrompt')}
        </label>
        <p id={promptHintId} className="text-xs text-fg-faint">
          {t('chat.systemPromptHint')}
        </p>
        <textarea
          id={promptId}
          aria-describedby={promptHintId}
          value={systemPrompt}
          maxLength={20_000}
          rows={5}
          placeholder={t('chat.systemPromptPlaceholder')}
          onChange={(e) => setSystemPrompt(e.target.value)}
          className="w-full resize-y rounded-xl border border-line bg-bg px-3 py-2 text-sm leading-relaxed outline-none focus:border-accent"
        />
      </div>

      {!fixed ? (
        <div className="flex flex-col gap-1.5">
          <div className="flex items-center justify-between gap-2">
            <label htmlFor={tempId} className="text-sm font-medium">
              {t('chat.temperature')}
            </label>
            <span className="font-mono text-sm tabular-nums text-fg-soft">{shown.toFixed(2)}</span>
          </div>
          <input
            id={tempId}
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={shown}
            disabled={useDefault}
            aria-describedby={tempHintId}
            onChange={(e) => setTemperature(Number(e.target.value))}
            className="w-full accent-accent disabled:opacity-50"
          />
          <p id={tempHintId} className="text-xs text-fg-faint">
            {t('chat.temperatureHint')}
          </p>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={temperature === null}
              onChange={(e) => setTemperature(e.target.checked ? null : modelDefault)}
              className="size-4 accent-accent"
            />
            {t('chat.temperatureDefault')}
            <span className="text-xs text-fg-faint">{t('chat.temperatureDefaultHint', { value: modelDefault })}</span>
          </label>
        </div>
      ) : model ? (
        <p className="text-xs text-fg-faint">{t('chat.temperatureFixed')}</p>
      ) : null}
      {failed ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {t('chat.saveFailed')}
        </p>
      ) : null}
    </Dialog>
  );
}

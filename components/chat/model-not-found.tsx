'use client';
// Kimi answered "model not found": offer the models this instance serves, one click to switch and retry.
import { useContext } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import type { ModelOption } from '@/lib/contracts';
import { ModelLabelContext } from './model-options';

export interface ModelNotFoundChoicesProps {
  /** The model Kimi did not find (error params.model). */
  missing: string | undefined;
  models: ModelOption[];
  onPick: (modelId: string) => void;
  disabled?: boolean;
}

export function ModelNotFoundChoices({ missing, models, onPick, disabled }: ModelNotFoundChoicesProps) {
  const { t } = useI18n();
  const modelLabel = useContext(ModelLabelContext);
  const choices = models.filter((m) => m.id !== missing);
  if (choices.length === 0) return null;
  return (
    <div role="group" aria-label={t('chat.modelNotFound.choices')} className="flex flex-wrap gap-1.5">
      {choices.map((m) => (
        <Button key={m.id} size="sm" variant="secondary" disabled={disabled} onClick={() => onPick(m.id)}>
          {t('chat.modelNotFound.switchTo', { model: modelLabel(m.id) })}
        </Button>
      ))}
    </div>
  );
}

'use client';
// Above the composer: the conversation's model (or, on a new chat, the user's default) was retired, and which
// model it continues on.
import { useContext, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { CloseIcon } from '@/components/ui/icons';
import { ModelLabelContext } from './model-options';

export function RetiredModelNotice({
  retired,
  current,
  kind = 'conversation',
}: {
  retired: string;
  current: string;
  kind?: 'conversation' | 'default';
}) {
  const { t } = useI18n();
  const modelLabel = useContext(ModelLabelContext);
  const [dismissed, setDismissed] = useState(false);
  if (dismissed) return null;
  return (
    <div
      role="status"
      data-testid="retired-model"
      className="flex items-center gap-2 rounded-xl border border-line bg-sidebar px-3 py-1.5 text-sm text-fg-soft"
    >
      <p className="flex-1">
        {t(kind === 'default' ? 'chat.retired.defaultNotice' : 'chat.retired.notice', { model: modelLabel(retired), current: modelLabel(current) })}
      </p>
      <button
        type="button"
        onClick={() => setDismissed(true)}
        aria-label={t('chat.retired.dismiss')}
        className="rounded-md p-1 hover:bg-muted hover:text-fg"
      >
        <CloseIcon width={14} height={14} />
      </button>
    </div>
  );
}

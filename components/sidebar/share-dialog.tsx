'use client';
// Share a conversation: choose who may open the link, create it (a snapshot of the chat as it is now),
// then copy the link. Links are listed and revoked on the account page.
import { useEffect, useId, useState } from 'react';
import { createShare, libraryRoutes } from '@/components/api/library-client';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { ShareVisibility } from '@/lib/share/types';

export function ShareDialog({ conversationId, onClose }: { conversationId: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const [visibility, setVisibility] = useState<ShareVisibility>('link');
  const [state, setState] = useState<{ kind: 'idle' | 'creating' | 'failed' } | { kind: 'ready'; url: string; copied: boolean }>({ kind: 'idle' });
  const groupId = useId();
  const linkId = useId();

  // A new conversation to share starts afresh.
  useEffect(() => {
    if (conversationId) setState({ kind: 'idle' });
  }, [conversationId]);

  const create = async () => {
    if (!conversationId) return;
    setState({ kind: 'creating' });
    const result = await createShare(conversationId, visibility);
    setState(
      result.ok
        ? { kind: 'ready', url: new URL(libraryRoutes.sharedPage(result.value.id), window.location.origin).href, copied: false }
        : { kind: 'failed' },
    );
  };

  return (
    <Dialog
      open={conversationId !== null}
      onClose={onClose}
      title={t('library.shareTitle')}
      description={t('library.shareBody')}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t('common.close')}
          </Button>
          {state.kind === 'ready' ? (
            <Button variant="primary" onClick={() => void navigator.clipboard.writeText(state.url).then(() => setState({ ...state, copied: true }))}>
              {state.copied ? t('library.copied') : t('library.copyLink')}
            </Button>
          ) : (
            <Button variant="primary" onClick={() => void create()} disabled={state.kind === 'creating'}>
              {state.kind === 'creating' ? t('library.creating') : t('library.createLink')}
            </Button>
          )}
        </>
      }
    >
      <fieldset className="flex flex-col gap-2" disabled={state.kind === 'ready' || state.kind === 'creating'} aria-describedby={groupId}>
        <legend id={groupId} className="mb-1 text-sm font-medium">
          {t('library.visibility')}
        </legend>
        {(['link', 'users'] as const).map((value) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input type="radio" name="share-visibility" value={value} checked={visibility === value} onChange={() => setVisibility(value)} />
            {value === 'link' ? t('library.visibilityLink') : t('library.visibilityUsers')}
          </label>
        ))}
      </fieldset>
      {state.kind === 'ready' ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={linkId} className="text-sm font-medium">
            {t('library.linkLabel')}
          </label>
          <input
            id={linkId}
            readOnly
            value={state.url}
            onFocus={(e) => e.currentTarget.select()}
            className="h-9 w-full rounded-lg border border-line bg-surface px-2 font-mono text-xs"
          />
          <p role="status" className="text-xs text-fg-soft">
            {t('library.linkReady')}
          </p>
        </div>
      ) : null}
      {state.kind === 'failed' ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {t('library.shareFailed')}
        </p>
      ) : null}
    </Dialog>
  );
}

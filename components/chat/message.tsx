'use client';
import { memo, useContext, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Markdown } from '@/components/markdown/lazy-markdown';
import { Button } from '@/components/ui/button';
import { AlertIcon, PencilIcon, RefreshIcon } from '@/components/ui/icons';
import type { ChatUIMessage } from '@/lib/chat/types';
import type { ModelOption } from '@/lib/contracts';
import type { AppError } from '@/lib/errors';
import { BranchSwitch } from './branch-switch';
import { CopyAnswerButton } from './copy-answer';
import { CutOffNote } from './cut-off-note';
import { errorText } from './errors';
import { formatTokens } from './format';
import { MessageImages } from './images';
import { messageDomId } from './message-anchor';
import { MessageDetails } from './message-details';
import { ModelNotFoundChoices } from './model-not-found';
import { ModelLabelContext } from './model-options';
import { isSearching, WebSearchStatus } from './web-search';

export interface MessageViewProps {
  message: ChatUIMessage;
  /** This is the last message of its role in the thread (shows Regenerate, Continue). */
  isLastOfRole: boolean;
  /** This message is the one currently being streamed into. */
  streaming: boolean;
  /** An answer is being generated somewhere in the thread: actions are hidden. */
  busy: boolean;
  onRegenerate: () => void;
  /** Any user message can be edited: the edit becomes a new branch. */
  onEdit: (messageId: string, text: string) => void;
  /** The ‹ n / n › switch: show the branch through this alternative. */
  onSwitchBranch: (to: string, from: string) => void;
  /** Extend the last answer, cut off at its length limit. */
  onContinue: () => void;
  /** The models on offer (for a model_not_found error's choices). */
  models: ModelOption[];
  /** Switch the conversation to this model and retry the last answer. */
  onSwitchModelAndRetry: (modelId: string) => void;
}

export function messageText(message: ChatUIMessage): string {
  return message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

export const MessageView = memo(function MessageView(props: MessageViewProps) {
  return (
    // The target of a search result's link (message-anchor.ts), marked for a moment when it is opened.
    <div
      id={messageDomId(props.message.id)}
      className="scroll-mt-6 rounded-2xl transition-shadow data-[highlighted=true]:ring-2 data-[highlighted=true]:ring-accent/60 data-[highlighted=true]:ring-offset-4 data-[highlighted=true]:ring-offset-bg"
    >
      {props.message.role === 'user' ? <UserMessage {...props} /> : <AssistantMessage {...props} />}
    </div>
  );
});

function UserMessage({ message, busy, onEdit, onSwitchBranch }: MessageViewProps) {
  const { t } = useI18n();
  const text = messageText(message);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const areaRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (editing) {
      const area = areaRef.current;
      area?.focus();
      area?.setSelectionRange(area.value.length, area.value.length);
    }
  }, [editing]);

  if (editing) {
    const save = () => {
      const value = draft.trim();
      if (!value) return;
      setEditing(false);
      onEdit(message.id, value);
    };
    return (
      <div className="flex flex-col items-end gap-2">
        <textarea
          ref={areaRef}
          aria-label={t('chat.editLabel')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setEditing(false);
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              save();
            }
          }}
          rows={Math.min(10, Math.max(2, draft.split('\n').length))}
          className="w-full resize-y rounded-2xl border border-line bg-surface px-4 py-3 text-[0.95rem] leading-relaxed outline-none focus:border-accent"
        />
        <div className="flex gap-2">
          <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
            {t('chat.cancel')}
          </Button>
          <Button size="sm" variant="primary" onClick={save} disabled={!draft.trim()}>
            {t('chat.saveAndSend')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="group flex flex-col items-end gap-1">
      <h3 className="sr-only">{t('chat.you')}</h3>
      <MessageImages message={message} />
      {/* Plain text, whitespace kept: never parsed as Markdown or HTML. */}
      <div className="max-w-[85%] rounded-2xl rounded-br-md bg-muted px-4 py-2.5 text-[0.95rem] leading-relaxed break-words whitespace-pre-wrap">
        {text}
      </div>
      <div className="-mr-2 flex items-center gap-1">
        <BranchSwitch messageId={message.id} siblings={message.metadata?.siblings} onSwitch={onSwitchBranch} disabled={busy} />
        {busy ? null : (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setDraft(text);
              setEditing(true);
            }}
          >
            <PencilIcon width={14} height={14} />
            {t('chat.edit')}
          </Button>
        )}
      </div>
    </div>
  );
}

function Reasoning({ text, live, tokens }: { text: string; live: boolean; tokens?: number }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(live);
  const wasLive = useRef(live);
  useEffect(() => {
    // Open while the reasoning streams and nothing else has arrived; collapse once the answer starts.
    if (live && !wasLive.current) setOpen(true);
    if (!live && wasLive.current) setOpen(false);
    wasLive.current = live;
  }, [live]);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="group/reasoning rounded-xl border border-line bg-sidebar text-sm">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-xl px-3 py-2 text-fg-soft select-none hover:text-fg [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="text-xs transition-transform group-open/reasoning:rotate-90">
          ▶
        </span>
        {t('chat.reasoning')}
        {live ? <span className="text-fg-faint">· {t('chat.thinking')}</span> : null}
        {!live && tokens ? (
          <span className="text-fg-faint" data-testid="reasoning-tokens">
            · {t('chat.detailsLine.reasoningTokens', { count: formatTokens(tokens, locale) })}
          </span>
        ) : null}
      </summary>
      <div className="border-t border-line px-3 py-2 leading-relaxed whitespace-pre-wrap text-fg-soft">{text}</div>
    </details>
  );
}

interface ErrorNoteProps {
  error: AppError;
  onRetry: () => void;
  canRetry: boolean;
  models: ModelOption[];
  onSwitchModelAndRetry: (modelId: string) => void;
}

function ErrorNote({ error, onRetry, canRetry, models, onSwitchModelAndRetry }: ErrorNoteProps) {
  const { t, messages, locale } = useI18n();
  const modelLabel = useContext(ModelLabelContext);
  const detailsId = useId();
  return (
    <div
      role="alert"
      className="flex flex-col gap-2 rounded-xl border border-red-300 bg-red-50 px-3 py-2.5 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
    >
      <div className="flex items-start gap-2">
        <AlertIcon className="mt-0.5 shrink-0" />
        <p className="flex-1">{errorText(messages, t, error, modelLabel, locale)}</p>
        {error.retryable && canRetry ? (
          <Button size="sm" variant="secondary" onClick={onRetry}>
            <RefreshIcon width={14} height={14} />
            {t('chat.retry')}
          </Button>
        ) : null}
      </div>
      {error.code === 'model_not_found' && canRetry ? (
        <ModelNotFoundChoices
          missing={typeof error.params?.model === 'string' ? error.params.model : undefined}
          models={models}
          onPick={onSwitchModelAndRetry}
        />
      ) : null}
      {error.detail ? (
        <details id={detailsId} className="text-xs opacity-80">
          <summary className="cursor-pointer select-none">{t('chat.details')}</summary>
          <pre className="mt-1 font-mono break-words whitespace-pre-wrap">{error.detail}</pre>
        </details>
      ) : null}
    </div>
  );
}

function AssistantMessage({
  message,
  isLastOfRole,
  streaming,
  busy,
  onRegenerate,
  onContinue,
  onSwitchBranch,
  models,
  onSwitchModelAndRetry,
}: MessageViewProps) {
  const { t } = useI18n();
  const status = message.metadata?.status;
  const cutReason = message.metadata?.cutReason;
  const details = message.metadata?.details;
  const reasoning = message.parts.map((p) => (p.type === 'reasoning' ? p.text : '')).join('');
  const text = messageText(message);
  const reasoningLive = streaming && text.trim() === '';
  const canRegenerate = isLastOfRole && !busy && !streaming && !(status === 'error' && message.metadata?.error?.retryable);

  return (
    <div className="group flex flex-col gap-2">
      <h3 className="sr-only">{t('chat.assistant')}</h3>
      {reasoning.trim() ? <Reasoning text={reasoning} live={reasoningLive} tokens={streaming ? undefined : details?.reasoningTokens} /> : null}
      {text ? <Markdown text={text} /> : null}
      {streaming && !text && !reasoning && !isSearching(message, streaming) ? <TypingDots label={t('chat.answering')} /> : null}
      <WebSearchStatus message={message} streaming={streaming} />
      {status === 'stopped' ? <StatusNote>{t('chat.stopped')}</StatusNote> : null}
      {status === 'interrupted' ? <StatusNote>{t('chat.interrupted')}</StatusNote> : null}
      {status === 'error' && message.metadata?.error ? (
        <ErrorNote
          error={message.metadata.error}
          onRetry={onRegenerate}
          canRetry={isLastOfRole && !busy}
          models={models}
          onSwitchModelAndRetry={onSwitchModelAndRetry}
        />
      ) : null}
      {cutReason && !streaming ? <CutOffNote reason={cutReason} onContinue={isLastOfRole && !busy ? onContinue : undefined} /> : null}
      {details && !streaming ? <MessageDetails details={details} /> : null}
      {text && !streaming ? <CopyAnswerButton text={text} /> : null}
      {canRegenerate || (message.metadata?.siblings?.length ?? 0) > 1 ? (
        <div className="-ml-2 flex items-center gap-1">
          <BranchSwitch messageId={message.id} siblings={message.metadata?.siblings} onSwitch={onSwitchBranch} disabled={busy} />
          {canRegenerate ? (
            <Button size="sm" variant="ghost" onClick={onRegenerate}>
              <RefreshIcon width={14} height={14} />
              {t('chat.regenerate')}
            </Button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function StatusNote({ children }: { children: React.ReactNode }) {
  return (
    <p className="inline-flex w-fit items-center gap-1.5 rounded-full bg-muted px-2.5 py-0.5 text-xs text-fg-soft">
      <span aria-hidden="true" className="size-1.5 rounded-full bg-fg-faint" />
      {children}
    </p>
  );
}

export function TypingDots({ label }: { label: string }) {
  return (
    <div className="flex h-6 items-center gap-1" role="status" aria-label={label}>
      {[0, 150, 300].map((delay) => (
        <span key={delay} aria-hidden="true" className="size-1.5 animate-bounce rounded-full bg-fg-faint" style={{ animationDelay: `${delay}ms` }} />
      ))}
    </div>
  );
}

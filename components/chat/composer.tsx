'use client';
import { type ReactNode, type Ref, useEffect, useId, useImperativeHandle, useRef, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { buttonClass } from '@/components/ui/button';
import { ArrowUpIcon, StopIcon } from '@/components/ui/icons';
import { MAX_MESSAGE_CHARS } from '@/lib/chat/limits';

export interface ComposerHandle {
  /** Puts text back (e.g. after a send failed before streaming), unless the user already typed something new. */
  restore: (text: string) => void;
  setText: (text: string) => void;
  focus: () => void;
  /** Sends what is typed, as the Send button does (e.g. after switching the model for it). */
  submit: () => void;
}

export interface ComposerProps {
  ref?: Ref<ComposerHandle>;
  /** An answer is streaming: the Send button becomes Stop. */
  busy: boolean;
  /** Returns false when the message could not be sent (the text is kept). */
  onSend: (text: string) => boolean;
  onStop: () => void;
  /** Shown before the text area (the documents' Attach button). */
  leading?: ReactNode;
  /** Why Send must wait (e.g. documents still uploading): shown by the button, which stays disabled. */
  hold?: string;
}

/** The counter shows from this share of the limit on. */
const COUNT_FROM = 0.9;

export function Composer({ ref, busy, onSend, onStop, leading, hold }: ComposerProps) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  useImperativeHandle(
    ref,
    () => ({
      restore: (value) => setText((current) => (current.trim() === '' ? value : current)),
      setText,
      focus: () => areaRef.current?.focus(),
      submit: () => submitRef.current(),
    }),
    [],
  );

  // Text typed into the server's HTML before the page hydrated is on screen but not in state (React keeps the
  // box's value as it finds it): take it, so Send sees it and nothing typed is lost.
  useEffect(() => {
    const typed = areaRef.current?.value ?? '';
    if (typed !== '') setText((current) => (current === '' ? typed : current));
  }, []);

  // Auto-grow up to a limit, then scroll inside.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the text is what changes the height to measure.
  useEffect(() => {
    const area = areaRef.current;
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight, 240)}px`;
  }, [text]);

  // Never cut what is typed or pasted: count near the limit, refuse beyond it.
  const over = text.length - MAX_MESSAGE_CHARS;
  const canSend = text.trim() !== '' && !busy && over <= 0 && !hold;
  const count = (n: number) => n.toLocaleString(locale);

  const submit = () => {
    if (!canSend) return;
    if (onSend(text)) setText('');
  };
  const submitRef = useRef(submit);
  submitRef.current = submit;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      className="flex flex-wrap items-end gap-2 rounded-3xl border border-line bg-surface p-2 pl-4 shadow-sm transition-colors focus-within:border-fg-faint"
    >
      {leading}
      <textarea
        ref={areaRef}
        aria-label={t('chat.message')}
        placeholder={t('chat.composerPlaceholder')}
        value={text}
        aria-invalid={over > 0 || undefined}
        aria-describedby={over > 0 ? `${id}-too-long` : hold ? `${id}-hold` : undefined}
        rows={1}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter sends, Shift+Enter is a new line; never while an IME is composing (Chinese input).
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
            e.preventDefault();
            submit();
          }
        }}
        className="max-h-60 min-h-10 flex-1 resize-none bg-transparent py-2 text-[0.95rem] leading-6 outline-none placeholder:text-fg-faint"
      />
      {text.length >= MAX_MESSAGE_CHARS * COUNT_FROM ? (
        <span
          data-testid="composer-count"
          className={over > 0 ? 'self-center text-xs font-medium text-red-700 dark:text-red-300' : 'self-center text-xs text-fg-faint'}
        >
          {count(text.length)} / {count(MAX_MESSAGE_CHARS)}
        </span>
      ) : null}
      {hold && !busy ? (
        <span id={`${id}-hold`} data-testid="send-waiting" role="status" className="self-center text-xs text-fg-soft">
          {hold}
        </span>
      ) : null}
      {busy ? (
        <button type="button" onClick={onStop} className={buttonClass('primary', 'icon', 'rounded-full')} aria-label={t('chat.stop')}>
          <StopIcon />
        </button>
      ) : (
        <button
          type="submit"
          disabled={!canSend}
          className={buttonClass('primary', 'icon', 'rounded-full')}
          aria-label={t('chat.send')}
          aria-describedby={hold ? `${id}-hold` : undefined}
        >
          <ArrowUpIcon />
        </button>
      )}
      {over > 0 ? (
        <p
          id={`${id}-too-long`}
          role="alert"
          data-testid="composer-too-long"
          className="order-last basis-full pb-1 text-xs text-red-700 dark:text-red-300"
        >
          {t('chat.tooLong', { over: count(over) })}
        </p>
      ) : null}
    </form>
  );
}

'use client';
import { type ReactNode, type Ref, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { buttonClass } from '@/components/ui/button';
import { ArrowUpIcon, StopIcon } from '@/components/ui/icons';
import { MAX_MESSAGE_CHARS } from '@/lib/contracts';

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
}

export function Composer({ ref, busy, onSend, onStop, leading }: ComposerProps) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const areaRef = useRef<HTMLTextAreaElement>(null);

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

  // Auto-grow up to a limit, then scroll inside.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the text is what changes the height to measure.
  useEffect(() => {
    const area = areaRef.current;
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight, 240)}px`;
  }, [text]);

  const canSend = text.trim() !== '' && !busy;

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
      className="flex items-end gap-2 rounded-3xl border border-line bg-surface p-2 pl-4 shadow-sm transition-colors focus-within:border-fg-faint"
    >
      {leading}
      <textarea
        ref={areaRef}
        aria-label={t('chat.message')}
        placeholder={t('chat.composerPlaceholder')}
        value={text}
        maxLength={MAX_MESSAGE_CHARS}
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
      {busy ? (
        <button type="button" onClick={onStop} className={buttonClass('primary', 'icon', 'rounded-full')} aria-label={t('chat.stop')}>
          <StopIcon />
        </button>
      ) : (
        <button type="submit" disabled={!canSend} className={buttonClass('primary', 'icon', 'rounded-full')} aria-label={t('chat.send')}>
          <ArrowUpIcon />
        </button>
      )}
    </form>
  );
}

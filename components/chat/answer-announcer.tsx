'use client';
// The polite screen-reader voice of the thread: "answering" once when an answer starts and the answer
// once it is done (or that it stopped) — never token by token, which a live thread would read out.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import type { ChatUIMessage } from '@/lib/chat/types';
import { messageText } from './message';

/** Enough to know what the answer says; the rest is in the thread. */
const SPOKEN_CHARS = 600;

export function AnswerAnnouncer({ messages, busy }: { messages: ChatUIMessage[]; busy: boolean }) {
  const { t } = useI18n();
  const [said, setSaid] = useState('');
  const wasBusy = useRef(busy);
  const last = messages[messages.length - 1];

  useEffect(() => {
    if (busy === wasBusy.current) return;
    wasBusy.current = busy;
    if (busy) {
      setSaid(t('chat.announce.answering'));
      return;
    }
    if (last?.role !== 'assistant') return setSaid('');
    // Errors speak for themselves (their notes are alerts).
    if (last.metadata?.status === 'error') return setSaid('');
    if (last.metadata?.status === 'stopped') return setSaid(t('chat.announce.stopped'));
    const text = messageText(last).replace(/\s+/g, ' ').trim();
    setSaid(t('chat.announce.answered', { text: text.length > SPOKEN_CHARS ? `${text.slice(0, SPOKEN_CHARS)}…` : text }));
  }, [busy, last, t]);

  return (
    <div role="status" aria-live="polite" className="sr-only" data-testid="answer-announcer">
      {said}
    </div>
  );
}

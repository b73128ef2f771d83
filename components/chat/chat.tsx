'use client';
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { AttachButton, DocumentDropZone, DocumentsBar, useDocuments } from '@/components/documents';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { AlertIcon, ArrowDownIcon, CloseIcon, SlidersIcon } from '@/components/ui/icons';
import type { AppError } from '@/lib/errors';
import type { ChatRequest, ChatUIMessage, ConversationDetail, ConversationSettings } from '@/lib/chat/types';
import type { ModelOption } from '@/lib/contracts';
import { Composer, type ComposerHandle } from './composer';
import { EmptyState } from './empty-state';
import { errorText, parseApiError } from './errors';
import { emitSidebar } from './events';
import { MessageView, TypingDots, messageText } from './message';
import { ModelNotFoundChoices } from './model-not-found';
import { ModelLabelContext } from './model-options';
import { ModelPicker } from './model-picker';
import { ReasoningControls } from './reasoning-controls';
import { RetiredModelNotice } from './retired-model-notice';
import { SettingsDialog } from './settings-dialog';

type Action = 'send' | 'regenerate' | 'continue';

export interface ChatProps {
  /** The conversation id (for a new chat: a fresh UUID). */
  id: string;
  /** True on `/`: nothing exists on the server until the first message is sent. */
  isNew: boolean;
  initialMessages: ChatUIMessage[];
  initialSettings: ConversationSettings;
  /** The picker's list (Auto first when available), from modelCatalogView(). */
  models: ModelOption[];
  /** The conversation remembered a model Kimi no longer serves (initialSettings.model is the default now). */
  retiredModel?: string;
  /** Admins are told where to set a missing price. */
  isAdmin?: boolean;
  /** The server is still generating an answer: resume its live stream. */
  resume?: boolean;
}

async function patchConversation(id: string, body: { title?: string; settings?: ConversationSettings }): Promise<boolean> {
  try {
    const res = await fetch(`/api/conversations/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.ok;
  } catch {
    return false;
  }
}

export function Chat({ id, isNew, initialMessages, initialSettings, models: served, retiredModel, isAdmin = false, resume = false }: ChatProps) {
  const { t, messages: catalog } = useI18n();
  // Auto's name in the reader's language; everything else is the model's own name.
  const models = useMemo(() => served.map((m) => (m.kind === 'auto' ? { ...m, label: t('chat.picker.auto') } : m)), [served, t]);
  const [settings, setSettings] = useState<ConversationSettings>(initialSettings);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const [persisted, setPersisted] = useState(!isNew);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [requestError, setRequestError] = useState<AppError | null>(null);
  const composerRef = useRef<ComposerHandle>(null);
  const documents = useDocuments(id, !isNew);
  const lastActionRef = useRef<Action>('send');
  const refetchRef = useRef<() => void>(() => {});

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: '/api/chat',
        // The client sends only the new turn; the history lives on the server.
        prepareSendMessagesRequest: ({ id: chatId, messages, trigger, body }) => {
          // Continue: useChat re-sends with no new message, streaming into the last (assistant) message.
          const continueOf = typeof body?.continueOf === 'string' ? body.continueOf : undefined;
          const request: ChatRequest = { id: chatId, trigger: continueOf ? 'continue-message' : trigger, settings: settingsRef.current };
          if (continueOf) {
            request.continueOf = continueOf;
            return { body: request };
          }
          const last = messages[messages.length - 1];
          if (trigger === 'submit-message' && last?.role === 'user') {
            request.message = {
              id: last.id,
              role: 'user',
              parts: last.parts.flatMap((p) => (p.type === 'text' ? [{ type: 'text' as const, text: p.text }] : [])),
            };
          }
          if (typeof body?.editOf === 'string') request.editOf = body.editOf;
          return { body: request };
        },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          // The resume endpoint answers 204 when the answer finished meanwhile: load the saved one.
          if (response.status === 204 && (init?.method ?? 'GET') === 'GET') refetchRef.current();
          return response;
        },
      }),
    [],
  );

  const { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError } = useChat<ChatUIMessage>({
    id,
    messages: initialMessages,
    transport,
    experimental_throttle: 50,
    resume,
    onData: (part) => {
      if (part.type === 'data-title') {
        const title = (part as { data?: { title?: unknown } }).data?.title;
        if (typeof title === 'string' && title.trim()) emitSidebar({ type: 'title', id, title });
      }
    },
    onFinish: ({ message }) => {
      emitSidebar({ type: 'touch', id, model: message.metadata?.model });
    },
  });

  refetchRef.current = () => {
    void fetch(`/api/conversations/${encodeURIComponent(id)}`)
      .then((res) => (res.ok ? (res.json() as Promise<ConversationDetail>) : null))
      .then((detail) => {
        if (detail) setMessages(detail.messages);
      })
      .catch(() => {});
  };

  const busy = status === 'submitted' || status === 'streaming';

  // A request that failed before streaming: show the translated error and give the typed text back.
  useEffect(() => {
    if (!error) return;
    const parsed = parseApiError(error);
    setRequestError(parsed);
    // A refused Continue: the saved answer (still cut off) is the truth.
    if (lastActionRef.current === 'continue') refetchRef.current();
    if (lastActionRef.current === 'send') {
      setMessages((current) => {
        const last = current[current.length - 1];
        if (last?.role !== 'user') return current;
        composerRef.current?.restore(messageText(last));
        return current.slice(0, -1);
      });
    }
  }, [error, setMessages]);

  // --- Scrolling: follow the answer while the reader is at the bottom.
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickRef = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const scrollToBottom = useCallback((behavior: ScrollBehavior = 'auto') => {
    const el = scrollRef.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior });
  }, []);
  useLayoutEffect(() => {
    if (stickRef.current) scrollToBottom();
  }, [messages, status, scrollToBottom]);
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const near = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    stickRef.current = near;
    setAtBottom(near);
  };

  // --- Actions
  const beforeRequest = () => {
    setRequestError(null);
    if (error) clearError();
    stickRef.current = true;
  };

  const markCreated = (text: string) => {
    if (persisted) return;
    setPersisted(true);
    window.history.replaceState(null, '', `/c/${id}`);
    const title = text.replace(/\s+/g, ' ').trim().slice(0, 60) || t('chat.untitled');
    emitSidebar({ type: 'upsert', conversation: { id, title, model: settingsRef.current.model, updatedAt: new Date().toISOString() } });
  };

  const send = (text: string): boolean => {
    const value = text.trim();
    if (!value || busy) return false;
    beforeRequest();
    lastActionRef.current = 'send';
    markCreated(value);
    void sendMessage({ text: value });
    return true;
  };

  const onRegenerate = useCallback(() => {
    setRequestError(null);
    clearError();
    stickRef.current = true;
    lastActionRef.current = 'regenerate';
    void regenerate();
  }, [regenerate, clearError]);

  const onContinue = useCallback(() => {
    const last = messages[messages.length - 1];
    if (last?.role !== 'assistant') return;
    setRequestError(null);
    clearError();
    stickRef.current = true;
    lastActionRef.current = 'continue';
    // The answer is no longer cut: drop the mark now (the stream's finish sets it again if it is cut again).
    const { cutReason: _cut, ...metadata } = last.metadata ?? {};
    setMessages((current) => [...current.slice(0, -1), { ...last, metadata: { ...metadata, status: 'streaming' } }]);
    void sendMessage(undefined, { body: { continueOf: last.id } });
  }, [messages, setMessages, sendMessage, clearError]);

  const onEdit = useCallback(
    (messageId: string, text: string) => {
      setRequestError(null);
      clearError();
      stickRef.current = true;
      lastActionRef.current = 'send';
      setMessages((current) => {
        const index = current.findIndex((m) => m.id === messageId);
        return index === -1 ? current : current.slice(0, index);
      });
      void sendMessage({ text }, { body: { editOf: messageId } });
    },
    [setMessages, sendMessage, clearError],
  );

  const onStop = () => {
    void stop();
    void fetch(`/api/chat/${encodeURIComponent(id)}/stop`, { method: 'POST' }).catch(() => {});
    // The server marks the saved answer as stopped; mirror it locally right away.
    setMessages((current) => {
      const last = current[current.length - 1];
      if (last?.role !== 'assistant') return current;
      const s = last.metadata?.status;
      if (s && s !== 'streaming') return current;
      return [...current.slice(0, -1), { ...last, metadata: { ...last.metadata, status: 'stopped' } }];
    });
  };

  /** Picker and reasoning controls: applied at once (also to a request sent right after), saved with the conversation. */
  const changeSettings = (patch: Partial<ConversationSettings>) => {
    const next = { ...settingsRef.current, ...patch };
    settingsRef.current = next;
    setSettings(next);
    if (persisted) void patchConversation(id, { settings: next });
  };
  const changeModel = (model: string) => changeSettings({ model });

  const onSwitchModelAndRetry = useCallback(
    (model: string) => {
      const next = { ...settingsRef.current, model };
      settingsRef.current = next;
      setSettings(next);
      void patchConversation(id, { settings: next });
      onRegenerate();
    },
    [id, onRegenerate],
  );

  /** model_not_found before anything streamed: switch, then redo what failed (the typed text is in the composer). */
  const switchModelAndRedo = (model: string) => {
    changeModel(model);
    if (lastActionRef.current === 'regenerate') onRegenerate();
    else if (lastActionRef.current === 'continue') onContinue();
    else composerRef.current?.submit();
  };

  const saveSettings = async (next: ConversationSettings): Promise<boolean> => {
    if (persisted && !(await patchConversation(id, { settings: next }))) return false;
    setSettings(next);
    return true;
  };

  const currentModel = models.find((m) => m.id === settings.model);
  const modelLabel = useCallback((modelId: string) => models.find((m) => m.id === modelId)?.label ?? modelId, [models]);
  const lastUserIndex = messages.findLastIndex((m) => m.role === 'user');
  const lastAssistantIndex = messages.findLastIndex((m) => m.role === 'assistant');
  const lastMessage = messages[messages.length - 1];
  const waiting = busy && lastMessage?.role !== 'assistant';

  return (
    <ModelLabelContext value={modelLabel}>
    <DocumentDropZone onFiles={documents.add} className="flex h-full min-h-0 flex-col">
      <header className="flex h-14 shrink-0 items-center gap-2 border-b border-line/70 px-3 pl-14 md:pl-4">
        <ModelPicker models={models} value={settings.model} onChange={changeModel} disabled={busy} isAdmin={isAdmin} />
        <ReasoningControls model={currentModel} thinking={settings.thinking} reasoningEffort={settings.reasoningEffort} onChange={changeSettings} disabled={busy} />
        <div className="ml-auto">
          <Button variant="ghost" size="sm" onClick={() => setSettingsOpen(true)} aria-haspopup="dialog">
            <SlidersIcon />
            <span className="hidden sm:inline">{t('chat.settings')}</span>
            <span className="sr-only sm:hidden">{t('chat.settings')}</span>
          </Button>
        </div>
      </header>

      <div ref={scrollRef} onScroll={onScroll} className="relative min-h-0 flex-1 overflow-y-auto">
        {messages.length === 0 && !busy ? (
          <EmptyState
            onPick={(prompt) => {
              composerRef.current?.setText(prompt);
              composerRef.current?.focus();
            }}
          />
        ) : (
          <div
            role="log"
            aria-live="polite"
            aria-busy={busy}
            aria-label={t('chat.messages')}
            className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 pt-6 pb-10"
          >
            {messages.map((message, index) => (
              <MessageView
                key={message.id}
                message={message}
                isLastOfRole={message.role === 'user' ? index === lastUserIndex : index === lastAssistantIndex && index === messages.length - 1}
                streaming={busy && index === messages.length - 1 && message.role === 'assistant'}
                busy={busy}
                onRegenerate={onRegenerate}
                onEdit={onEdit}
                onContinue={onContinue}
                models={models}
                onSwitchModelAndRetry={onSwitchModelAndRetry}
              />
            ))}
            {waiting ? <TypingDots label={t('chat.answering')} /> : null}
          </div>
        )}
      </div>

      <div className="relative shrink-0 px-4 pb-4">
        {!atBottom && messages.length > 0 ? (
          <button
            type="button"
            onClick={() => {
              stickRef.current = true;
              scrollToBottom('smooth');
            }}
            aria-label={t('chat.scrollToBottom')}
            className="absolute -top-12 left-1/2 grid size-9 -translate-x-1/2 place-items-center rounded-full border border-line bg-surface text-fg-soft shadow-md hover:text-fg"
          >
            <ArrowDownIcon />
          </button>
        ) : null}
        <div className="mx-auto flex w-full max-w-3xl flex-col gap-2">
          {retiredModel ? <RetiredModelNotice retired={retiredModel} current={settings.model} /> : null}
          {requestError ? (
            <div role="alert" className="flex flex-wrap items-start gap-2 rounded-xl border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200">
              <AlertIcon className="mt-0.5 shrink-0" />
              <p className="flex-1">{errorText(catalog, t, requestError, modelLabel)}</p>
              {requestError.retryable && lastActionRef.current !== 'send' ? (
                <Button size="sm" variant="secondary" onClick={lastActionRef.current === 'continue' ? onContinue : onRegenerate}>
                  {t('chat.retry')}
                </Button>
              ) : null}
              <button
                type="button"
                onClick={() => {
                  setRequestError(null);
                  clearError();
                }}
                aria-label={t('common.close')}
                className="rounded-md p-1 hover:bg-red-100 dark:hover:bg-red-900/40"
              >
                <CloseIcon width={14} height={14} />
              </button>
              {requestError.code === 'model_not_found' ? (
                <div className="basis-full pl-6">
                  <ModelNotFoundChoices
                    missing={typeof requestError.params?.model === 'string' ? requestError.params.model : undefined}
                    models={models}
                    onPick={switchModelAndRedo}
                    disabled={busy}
                  />
                </div>
              ) : null}
            </div>
          ) : null}
          <DocumentsBar
            documents={documents}
            conversationId={id}
            model={settings.model}
            threadKey={`${messages.length}:${busy}`}
            onSwitchModel={changeModel}
            modelLabel={modelLabel}
          />
          <Composer ref={composerRef} busy={busy} onSend={send} onStop={onStop} leading={<AttachButton onFiles={documents.add} />} />
          <p className="hidden text-center text-xs text-fg-faint sm:block">{t('chat.composerHint')}</p>
        </div>
      </div>

      <SettingsDialog
        open={settingsOpen}
        onClose={() => setSettingsOpen(false)}
        settings={settings}
        model={currentModel}
        onSave={saveSettings}
      />
    </DocumentDropZone>
    </ModelLabelContext>
  );
}

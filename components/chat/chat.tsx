'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AttachButton, DocumentDropZone, DocumentsBar, useDocuments } from '@/components/documents';
import { useChatSession } from '@/components/hooks/use-chat-session';
import { useHydrated } from '@/components/hooks/use-hydrated';
import { useMessageWindow } from '@/components/hooks/use-message-window';
import { useScrollToBottom } from '@/components/hooks/use-scroll-to-bottom';
import { useStableCallback } from '@/components/hooks/use-stable-callback';
import { useI18n } from '@/components/i18n-provider';
import { preloadMarkdown } from '@/components/markdown/lazy-markdown';
import { useShortcut } from '@/components/shortcuts/use-shortcut';
import { Button } from '@/components/ui/button';
import { AlertIcon, ArrowDownIcon, ArrowUpIcon, CloseIcon, SlidersIcon } from '@/components/ui/icons';
import type { ChatUIMessage, ConversationSettings } from '@/lib/chat/types';
import type { DocumentSummary, ModelOption } from '@/lib/contracts';
import { AnswerAnnouncer } from './answer-announcer';
import { Composer, type ComposerHandle } from './composer';
import { EmptyState } from './empty-state';
import { errorText } from './errors';
import { ImageChips, isImageFile, useImageAttachments } from './images';
import { MessageView, TypingDots } from './message';
import { useMessageAnchor } from './message-anchor';
import { ModelNotFoundChoices } from './model-not-found';
import { ModelLabelContext } from './model-options';
import { ModelPicker } from './model-picker';
import { ReasoningControls } from './reasoning-controls';
import { RetiredModelNotice } from './retired-model-notice';
import { messageIdFromHash } from './reveal';
import { SettingsDialog } from './settings-dialog';
import { WebSearchToggle } from './web-search';

export interface ChatProps {
  /** The conversation id (for a new chat: a fresh UUID). */
  id: string;
  /** True on `/`: nothing exists on the server until the first message is sent. */
  isNew: boolean;
  /** The newest page of the thread (its current path). */
  initialMessages: ChatUIMessage[];
  /** The conversation's stored documents (none for a new chat). */
  initialDocuments?: readonly DocumentSummary[];
  /** Messages of the path before initialMessages, fetched as the reader scrolls up (or a link asks for one). */
  olderCount?: number;
  initialSettings: ConversationSettings;
  /** The picker's list (Auto first when available), from modelCatalogView(). */
  models: ModelOption[];
  /** The conversation remembered a model Kimi no longer serves (initialSettings.model is the default now). */
  retiredModel?: string;
  /** A new chat: the user's default model is no longer served (initialSettings.model is the instance default). */
  unavailableDefault?: string;
  /** Admins are told where to set a missing price. */
  isAdmin?: boolean;
  /** The instance allows web search (admin setting); default true. */
  webSearchAvailable?: boolean;
  /** The server is still generating an answer: resume its live stream. */
  resume?: boolean;
  /** false renders every message at once (the thread benchmark's baseline); default: a window of them. */
  windowed?: boolean;
}

const NO_DOCUMENTS: readonly DocumentSummary[] = [];

export function Chat({
  id,
  isNew,
  initialMessages,
  initialDocuments = NO_DOCUMENTS,
  olderCount: initialOlderCount = 0,
  initialSettings,
  models: served,
  retiredModel,
  unavailableDefault,
  isAdmin = false,
  resume = false,
  webSearchAvailable = true,
  windowed = true,
}: ChatProps) {
  const { t, messages: catalog, locale } = useI18n();
  // Auto's name in the reader's language; everything else is the model's own name.
  const models = useMemo(() => served.map((m) => (m.kind === 'auto' ? { ...m, label: t('chat.picker.auto') } : m)), [served, t]);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const composerRef = useRef<ComposerHandle>(null);
  const documents = useDocuments(id, initialDocuments);
  const images = useImageAttachments();
  // Images go to the next message; everything else is a document of the conversation.
  const addFiles = useCallback(
    (files: File[]) => {
      const pictures = files.filter(isImageFile);
      if (pictures.length > 0) images.add(pictures);
      const others = files.filter((f) => !isImageFile(f));
      if (others.length > 0) documents.add(others);
    },
    [images.add, documents.add],
  );
  const session = useChatSession({
    id,
    isNew,
    initialMessages,
    initialOlderCount,
    initialSettings,
    resume,
    composer: composerRef,
    untitled: t('chat.untitled'),
    // Every request follows its answer to the bottom again (with the newest messages rendered).
    onRequest: () => {
      thread.toEnd();
      scroll.stick();
    },
  });
  const { messages, olderCount, busy, settings, requestError } = session;
  // Until hydration the thread's buttons have no handlers: they wait, disabled, instead of dropping a click.
  const hydrated = useHydrated();
  // Follow the answer while the reader is at the bottom.
  const scroll = useScrollToBottom([messages, session.status]);
  // Indexes of the window count the whole path; `messages` holds its end, from `olderCount` on.
  const total = olderCount + messages.length;
  const { loadOlder } = session;
  const loadOlderPage = useCallback(() => void loadOlder(), [loadOlder]);
  const thread = useMessageWindow(total, scroll.ref, { enabled: windowed, loadedFrom: olderCount, loadOlder: loadOlderPage });
  // Open a message by id: a `#message-<id>` link, on arrival or as the address changes (search results).
  const [wanted, setWanted] = useState<string | null>(null);
  useEffect(() => {
    const fromHash = () => setWanted(messageIdFromHash(window.location.hash));
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, []);
  // Rendered when the browser has it; otherwise its stretch of the path is fetched first (one request).
  useEffect(() => {
    if (wanted === null) return;
    const index = messages.findIndex((m) => m.id === wanted);
    if (index !== -1) {
      setWanted(null);
      thread.reveal(olderCount + index);
    } else if (olderCount === 0) setWanted(null);
    else
      void loadOlder(wanted).then((outcome) => {
        // A message of another branch, or gone: nothing to open. (`busy`: this runs again once the thread changed.)
        if (outcome === 'failed') setWanted(null);
      });
  }, [wanted, messages, olderCount, loadOlder, thread.reveal]);
  // A switched version appears where the one it replaces was, however the path after it changed.
  const { switchBranch: switchTo } = session;
  const { keepPlace } = thread;
  const switchBranch = useStableCallback((to: string, from: string) => switchTo(to, () => keepPlace(from, to)));
  // Every message gets these: stable, so a streamed chunk re-renders the answer it belongs to, not the thread.
  const regenerate = useStableCallback(session.regenerate);
  const edit = useStableCallback(session.edit);
  const continueAnswer = useStableCallback(session.continueAnswer);
  const switchModelAndRetry = useStableCallback(session.switchModelAndRetry);
  useMessageAnchor(total, thread.start);
  // A new or opened chat is ready to type into (wide screens: on a phone the keyboard would cover it).
  useEffect(() => {
    if (window.matchMedia('(min-width: 768px)').matches) composerRef.current?.focus();
  }, []);
  // The Markdown renderer is not in the first load: fetched at the next idle moment, before a new answer needs it.
  useEffect(preloadMarkdown, []);
  // Esc stops a streaming answer; on an empty new chat, "new chat" just means: type here.
  useShortcut('stop', () => {
    if (!busy) return false;
    session.stop();
    return true;
  });
  useShortcut('newChat', () => {
    if (!isNew || messages.length > 0) return false;
    composerRef.current?.focus();
    return true;
  });
  // A question goes out only with every attached document: Send waits while one is still uploading.
  const hold = documents.items.some((i) => i.status === 'uploading') ? t('chat.waitingForDocuments') : undefined;

  const currentModel = models.find((m) => m.id === settings.model);
  const modelLabel = useCallback((modelId: string) => models.find((m) => m.id === modelId)?.label ?? modelId, [models]);
  const lastUserIndex = messages.findLastIndex((m) => m.role === 'user');
  const lastAssistantIndex = messages.findLastIndex((m) => m.role === 'assistant');
  const lastMessage = messages[messages.length - 1];
  const waiting = busy && lastMessage?.role !== 'assistant';

  return (
    <ModelLabelContext value={modelLabel}>
      <DocumentDropZone onFiles={addFiles} className="flex h-full min-h-0 flex-col">
        <header className="flex h-14 shrink-0 items-center gap-2 border-b border-line/70 px-3 pl-14 md:pl-4">
          <ModelPicker models={models} value={settings.model} onChange={session.changeModel} disabled={busy} isAdmin={isAdmin} />
          <ReasoningControls
            model={currentModel}
            thinking={settings.thinking}
            reasoningEffort={settings.reasoningEffort}
            onChange={session.changeSettings}
            disabled={busy}
          />
          <div className="ml-auto">
            <Button variant="ghost" size="sm" onClick={() => setSettingsOpen(true)} aria-haspopup="dialog">
              <SlidersIcon />
              <span className="hidden sm:inline">{t('chat.settings')}</span>
              <span className="sr-only sm:hidden">{t('chat.settings')}</span>
            </Button>
          </div>
        </header>

        {/* Reversed: a long thread shows its end from the first paint, before any script (no jump). */}
        <div
          ref={scroll.ref}
          onScroll={scroll.onScroll}
          data-testid="thread-scroll"
          // The window keeps the reader's place itself (use-message-window): no second adjustment by the browser.
          className="relative flex min-h-0 flex-1 flex-col-reverse overflow-y-auto [overflow-anchor:none]"
        >
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
              // Not live: screen readers would read every token. AnswerAnnouncer says when an answer is done.
              aria-live="off"
              aria-busy={busy}
              aria-label={t('chat.messages')}
              className="mx-auto flex w-full max-w-3xl shrink-0 grow flex-col gap-6 px-4 pt-6 pb-10"
            >
              {thread.hasOlder ? (
                <div ref={thread.olderRef} className="flex justify-center">
                  <Button variant="ghost" size="sm" onClick={thread.showOlder} disabled={!hydrated} data-testid="show-older">
                    <ArrowUpIcon width={14} height={14} />
                    {t('chat.showOlder', { count: thread.start })}
                  </Button>
                </div>
              ) : null}
              {messages.slice(Math.max(0, thread.start - olderCount), Math.max(0, thread.end - olderCount)).map((message, offset) => {
                // Within `messages` (the window never starts before what is loaded).
                const index = Math.max(0, thread.start - olderCount) + offset;
                return (
                  // The window's unit: found by id (reveal, the kept scroll position), focusable when revealed.
                  <div key={message.id} data-message-id={message.id} tabIndex={-1} className="outline-none">
                    <MessageView
                      message={message}
                      isLastOfRole={message.role === 'user' ? index === lastUserIndex : index === lastAssistantIndex && index === messages.length - 1}
                      streaming={busy && index === messages.length - 1 && message.role === 'assistant'}
                      busy={busy || !hydrated}
                      onRegenerate={regenerate}
                      onEdit={edit}
                      onSwitchBranch={switchBranch}
                      onContinue={continueAnswer}
                      models={models}
                      onSwitchModelAndRetry={switchModelAndRetry}
                    />
                  </div>
                );
              })}
              {thread.hasNewer ? (
                <div ref={thread.newerRef} className="flex justify-center">
                  <Button variant="ghost" size="sm" onClick={thread.showNewer} disabled={!hydrated} data-testid="show-newer">
                    <ArrowDownIcon width={14} height={14} />
                    {t('chat.showNewer', { count: total - thread.end })}
                  </Button>
                </div>
              ) : null}
              {waiting ? <TypingDots label={t('chat.answering')} /> : null}
            </div>
          )}
        </div>

        <div className="relative shrink-0 px-4 pb-4">
          {(!scroll.atBottom || thread.hasNewer) && messages.length > 0 ? (
            <button
              type="button"
              onClick={() => {
                thread.toEnd();
                scroll.stick();
                scroll.scrollToBottom('smooth');
              }}
              aria-label={t('chat.scrollToBottom')}
              className="absolute -top-12 left-1/2 grid size-9 -translate-x-1/2 place-items-center rounded-full border border-line bg-surface text-fg-soft shadow-md hover:text-fg"
            >
              <ArrowDownIcon />
            </button>
          ) : null}
          <div className="mx-auto flex w-full max-w-3xl flex-col gap-2">
            {retiredModel ? <RetiredModelNotice retired={retiredModel} current={settings.model} /> : null}
            {unavailableDefault ? <RetiredModelNotice retired={unavailableDefault} current={settings.model} kind="default" /> : null}
            {requestError ? (
              <div
                role="alert"
                className="flex flex-wrap items-start gap-2 rounded-xl border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
              >
                <AlertIcon className="mt-0.5 shrink-0" />
                <p className="flex-1">{errorText(catalog, t, requestError, modelLabel, locale)}</p>
                {requestError.retryable && session.lastAction !== 'send' ? (
                  <Button size="sm" variant="secondary" onClick={session.lastAction === 'continue' ? session.continueAnswer : session.regenerate}>
                    {t('chat.retry')}
                  </Button>
                ) : null}
                <button
                  type="button"
                  onClick={session.dismissError}
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
                      onPick={session.switchModelAndRedo}
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
              threadKey={`${total}:${busy}`}
              draftImageIds={images.ids}
              onSwitchModel={session.changeModel}
              modelLabel={modelLabel}
            />
            <ImageChips images={images} />
            {/* Paste from the clipboard: images are attached, text is pasted as usual. */}
            <div
              className="contents"
              onPaste={(e) => {
                const pasted = [...e.clipboardData.files].filter(isImageFile);
                if (pasted.length === 0) return;
                e.preventDefault();
                images.add(pasted);
              }}
            >
              <Composer
                ref={composerRef}
                busy={busy}
                onSend={(text) => {
                  if (!images.ready) return false;
                  const sent = session.send(text, images.parts());
                  if (sent) images.clear();
                  return sent;
                }}
                onStop={session.stop}
                hold={hold}
                leading={
                  <>
                    <AttachButton onFiles={addFiles} />
                    <WebSearchToggle
                      on={settings.webSearch}
                      available={webSearchAvailable}
                      onChange={(webSearch) => session.changeSettings({ webSearch })}
                      disabled={busy}
                    />
                  </>
                }
              />
            </div>
            <p className="hidden text-center text-xs text-fg-faint sm:block">{t('chat.composerHint')}</p>
          </div>
        </div>

        <AnswerAnnouncer messages={messages} busy={busy} />

        <SettingsDialog
          open={settingsOpen}
          onClose={() => setSettingsOpen(false)}
          settings={settings}
          model={currentModel}
          onSave={session.saveSettings}
        />
      </DocumentDropZone>
    </ModelLabelContext>
  );
}

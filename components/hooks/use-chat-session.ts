'use client';
// One conversation's chat session in the browser: useChat over the app's transport (only the new turn is
// sent; the history lives on the server), resuming a live answer, Continue, edits and branches, stop, the request error
// shown above the composer, and the conversation's settings (applied at once, saved with the conversation).
// `messages` is the end of the current path the browser has: the newest page at first, older pages as
// loadOlder() brings them (`olderCount` messages of the path come before it).
import type { FileUIPart } from 'ai';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { chatRequestBody, getConversation, getOlderMessages, patchConversation, routes, stopChat, switchBranch } from '@/components/api/client';
import { parseApiError } from '@/components/chat/errors';
import { emitSidebar } from '@/components/chat/events';
import { messageText } from '@/components/chat/message';
import { markdownReady } from '@/components/markdown/lazy-markdown';
import { mergePage } from '@/lib/chat/thread-merge';
import type { ChatUIMessage, ConversationSettings, ThreadPage } from '@/lib/chat/types';
import type { AppError } from '@/lib/errors';
import { useLazyChat } from './use-lazy-chat';

/** What the last request was: decides what a failure undoes and what Retry redoes. */
export type ChatAction = 'send' | 'regenerate' | 'continue';

/** The bits of the composer the session needs: give refused text back, send it again. */
export interface ComposerControl {
  restore: (text: string) => void;
  submit: () => void;
}

export interface ChatSessionOptions {
  id: string;
  /** Nothing exists on the server until the first message is sent. */
  isNew: boolean;
  initialMessages: ChatUIMessage[];
  /** Messages of the path before initialMessages (the server sent only the newest page). */
  initialOlderCount?: number;
  initialSettings: ConversationSettings;
  /** The server is still generating an answer: resume its live stream. */
  resume: boolean;
  composer: RefObject<ComposerControl | null>;
  /** The sidebar's title for a new chat whose first message is blank after trimming. */
  untitled: string;
  /** Called before every request (e.g. to follow the answer to the bottom). */
  onRequest?: () => void;
}

/** How a loadOlder() call went: `busy` — another load was under way, or the thread changed meanwhile. */
export type OlderLoad = 'loaded' | 'busy' | 'failed';

/**
 * The AI SDK transport to POST /api/chat; `requestSent` runs once fetch was called for a POST, `onGone` when
 * a resumed answer finished meanwhile (204).
 */
function createTransport(
  { DefaultChatTransport }: typeof import('./chat-runtime'),
  settings: RefObject<ConversationSettings>,
  requestSent: () => void,
  onGone: () => void,
) {
  return new DefaultChatTransport<ChatUIMessage>({
    api: routes.chat,
    prepareSendMessagesRequest: ({ id, messages, trigger, body }) => ({
      body: chatRequestBody({ id, messages, trigger, settings: settings.current, body }),
    }),
    fetch: async (input, init) => {
      const pending = fetch(input, init);
      // A send's or a regenerate's POST (not a resume's GET) ends the hold on the thread's updates.
      if (init?.method === 'POST') requestSent();
      const response = await pending;
      if (response.status === 204 && (init?.method ?? 'GET') === 'GET') onGone();
      return response;
    },
  });
}

export function useChatSession({
  id,
  isNew,
  initialMessages,
  initialOlderCount = 0,
  initialSettings,
  resume,
  composer,
  untitled,
  onRequest,
}: ChatSessionOptions) {
  const [settings, setSettings] = useState<ConversationSettings>(initialSettings);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const [persisted, setPersisted] = useState(!isNew);
  const [requestError, setRequestError] = useState<AppError | null>(null);
  const lastActionRef = useRef<ChatAction>('send');
  const refetchRef = useRef<() => void>(() => {});
  const onRequestRef = useRef(onRequest);
  onRequestRef.current = onRequest;
  /** The request in flight is an edit (a failure shows the saved path again, not the typed text). */
  const editedRef = useRef(false);
  /** The request in flight is the chat's first message (markCreated listed it). */
  const firstSendRef = useRef(false);

  const { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError } = useLazyChat<ChatUIMessage>({
    id,
    messages: initialMessages,
    transport: (runtime, requestSent) => createTransport(runtime, settingsRef, requestSent, () => refetchRef.current()),
    // About a frame: at 50 ms the first words waited ~20 ms for the next update (`-- capacity`'s click → paint
    // +55 ms, at 16 ms +38 ms). The answer's Markdown is memoised per block, so an update a chunk stays cheap.
    experimental_throttle: 16,
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

  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const [olderCount, setOlderCount] = useState(initialOlderCount);
  const olderCountRef = useRef(olderCount);
  olderCountRef.current = olderCount;
  const loadingOlderRef = useRef(false);

  /** The thread becomes the path the server answered (keeping what was loaded before it: mergePage). */
  const showPage = useCallback(
    (page: ThreadPage) => {
      const merged = mergePage({ messages: messagesRef.current, olderCount: olderCountRef.current }, page);
      setMessages(merged.messages);
      setOlderCount(merged.olderCount);
    },
    [setMessages],
  );

  /** The saved conversation is the truth (a resumed answer that finished, a refused Continue). */
  refetchRef.current = () => {
    void Promise.all([getConversation(id), markdownReady()]).then(([result]) => {
      if (result.ok) showPage(result.value);
    });
  };

  /** The page of the path before the oldest message shown (back to `to` when given), put in front. */
  const loadOlder = useCallback(
    async (to?: string): Promise<OlderLoad> => {
      const first = messagesRef.current[0];
      if (loadingOlderRef.current) return 'busy';
      if (!first || olderCountRef.current === 0) return 'failed';
      loadingOlderRef.current = true;
      try {
        const [result] = await Promise.all([getOlderMessages(id, { before: first.id, to }), markdownReady()]);
        if (!result.ok) {
          // The oldest message shown is no longer on the saved path (a branch switched on another device):
          // show the path as it is now rather than a thread that can never page back.
          if (result.status === 404) refetchRef.current();
          return 'failed';
        }
        // A branch switch or a refetch replaced the thread meanwhile: this page belongs to another path.
        if (messagesRef.current[0]?.id !== first.id) return 'busy';
        setMessages((current) => [...result.value.messages, ...current]);
        setOlderCount(result.value.olderCount);
        return 'loaded';
      } finally {
        loadingOlderRef.current = false;
      }
    },
    [id, setMessages],
  );

  const busy = status === 'submitted' || status === 'streaming';

  /** A refused first message: when the server has no such conversation, unlist it and give `/` back. */
  const undoCreatedIfRefused = useCallback(() => {
    firstSendRef.current = false;
    void getConversation(id).then((result) => {
      if (result.ok || result.status !== 404) return;
      setPersisted(false);
      emitSidebar({ type: 'remove', id }); // first: the chat on `/` stays as it is (NewChat)
      if (window.location.pathname === `/c/${id}`) window.history.replaceState(null, '', '/');
    });
  }, [id]);

  // A request that failed before streaming: show the translated error and give the typed text back.
  useEffect(() => {
    if (!error) return;
    setRequestError(parseApiError(error));
    if (lastActionRef.current === 'continue') refetchRef.current();
    // An edit or regenerate refused before its answer began changed nothing on the server: show its path again.
    if ((lastActionRef.current === 'regenerate' || editedRef.current) && messagesRef.current.at(-1)?.role === 'user') {
      editedRef.current = false;
      refetchRef.current();
      return;
    }
    if (lastActionRef.current === 'send' && !editedRef.current) {
      if (firstSendRef.current) undoCreatedIfRefused();
      setMessages((current) => {
        const last = current[current.length - 1];
        if (last?.role !== 'user') return current;
        composer.current?.restore(messageText(last));
        return current.slice(0, -1);
      });
    }
  }, [error, setMessages, composer, undoCreatedIfRefused]);

  /** Clears the last failure and marks what is being asked now. */
  const begin = useCallback(
    (action: ChatAction) => {
      editedRef.current = false;
      setRequestError(null);
      clearError();
      onRequestRef.current?.();
      lastActionRef.current = action;
    },
    [clearError],
  );

  /** The first message of a new chat: the URL becomes the conversation's, the sidebar lists it. */
  const markCreated = (text: string) => {
    firstSendRef.current = !persisted;
    if (persisted) return;
    setPersisted(true);
    window.history.replaceState(null, '', `/c/${id}`);
    const title = text.replace(/\s+/g, ' ').trim().slice(0, 60) || untitled;
    emitSidebar({ type: 'upsert', conversation: { id, title, model: settingsRef.current.model, updatedAt: new Date().toISOString() } });
  };

  /** Sends the text, with attached images (file parts pointing at /api/images/:id) when there are any. */
  const send = (text: string, files: FileUIPart[] = []): boolean => {
    const value = text.trim();
    if (!value || busy) return false;
    setRequestError(null);
    if (error) clearError();
    onRequestRef.current?.();
    lastActionRef.current = 'send';
    editedRef.current = false;
    markCreated(value);
    void sendMessage(files.length > 0 ? { text: value, files } : { text: value });
    return true;
  };

  const regenerateAnswer = useCallback(() => {
    begin('regenerate');
    void regenerate();
  }, [begin, regenerate]);

  const continueAnswer = useCallback(() => {
    const last = messages[messages.length - 1];
    if (last?.role !== 'assistant') return;
    begin('continue');
    // The answer is no longer cut: drop the mark now (the stream's finish sets it again if it is cut again).
    const { cutReason: _cut, ...metadata } = last.metadata ?? {};
    setMessages((current) => [...current.slice(0, -1), { ...last, metadata: { ...metadata, status: 'streaming' } }]);
    void sendMessage(undefined, { body: { continueOf: last.id } });
  }, [messages, setMessages, sendMessage, begin]);

  /**
   * Edit any user message: the new text (with the message's images) becomes its alternative — a new branch
   * from the same parent; the old one stays reachable through the ‹ n / n › switch.
   */
  const edit = useCallback(
    (messageId: string, text: string) => {
      const index = messages.findIndex((m) => m.id === messageId);
      const edited = messages[index];
      if (!edited) return;
      begin('send');
      editedRef.current = true;
      const newId = crypto.randomUUID();
      const siblings = [...(edited.metadata?.siblings ?? [messageId]), newId];
      setMessages(messages.slice(0, index));
      const images = edited.parts.filter((p) => p.type === 'file');
      void sendMessage(
        { id: newId, role: 'user', parts: [...images, { type: 'text', text }], metadata: { siblings } },
        { body: { editOf: messageId } },
      );
    },
    [messages, setMessages, sendMessage, begin],
  );

  /** The ‹ n / n › switch: the server remembers the branch and answers its path, which the thread shows. */
  const switchTo = useCallback(
    (messageId: string, beforeShow?: () => void) => {
      if (busy) return;
      setRequestError(null);
      void Promise.all([switchBranch(id, messageId), markdownReady()]).then(([result]) => {
        if (!result.ok) return setRequestError(result.error);
        beforeShow?.();
        showPage(result.value);
      });
    },
    [id, busy, showPage],
  );

  const stopAnswer = () => {
    void stop();
    void stopChat(id);
    // The server marks the saved answer as stopped; mirror it locally right away.
    setMessages((current) => {
      const last = current[current.length - 1];
      if (last?.role !== 'assistant') return current;
      const s = last.metadata?.status;
      if (s && s !== 'streaming') return current;
      return [...current.slice(0, -1), { ...last, metadata: { ...last.metadata, status: 'stopped' } }];
    });
  };

  const dismissError = () => {
    setRequestError(null);
    clearError();
  };

  // --- Settings: picker and reasoning controls apply at once (also to a request sent right after).
  const applySettings = (next: ConversationSettings) => {
    settingsRef.current = next;
    setSettings(next);
  };

  const changeSettings = (patch: Partial<ConversationSettings>) => {
    const next = { ...settingsRef.current, ...patch };
    applySettings(next);
    if (persisted) void patchConversation(id, { settings: next });
  };
  const changeModel = (model: string) => changeSettings({ model });

  /** The settings dialog: saved first (when the conversation exists), applied only if that worked. */
  const saveSettings = async (next: ConversationSettings): Promise<boolean> => {
    if (persisted && !(await patchConversation(id, { settings: next })).ok) return false;
    setSettings(next);
    return true;
  };

  /** An answer that failed with model_not_found: switch and regenerate it. */
  const switchModelAndRetry = useCallback(
    (model: string) => {
      const next = { ...settingsRef.current, model };
      settingsRef.current = next;
      setSettings(next);
      void patchConversation(id, { settings: next });
      regenerateAnswer();
    },
    [id, regenerateAnswer],
  );

  /** model_not_found before anything streamed: switch, then redo what failed (the typed text is in the composer). */
  const switchModelAndRedo = (model: string) => {
    changeModel(model);
    if (lastActionRef.current === 'regenerate') regenerateAnswer();
    else if (lastActionRef.current === 'continue') continueAnswer();
    else composer.current?.submit();
  };

  return {
    messages,
    olderCount,
    loadOlder,
    status,
    busy,
    settings,
    requestError,
    /** Read at render, as the error banner's Retry needs it. */
    lastAction: lastActionRef.current,
    send,
    regenerate: regenerateAnswer,
    continueAnswer,
    edit,
    switchBranch: switchTo,
    stop: stopAnswer,
    dismissError,
    changeSettings,
    changeModel,
    saveSettings,
    switchModelAndRetry,
    switchModelAndRedo,
  };
}

export type ChatSession = ReturnType<typeof useChatSession>;

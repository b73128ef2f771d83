'use client';
// useChat (from @ai-sdk/react) with the AI SDK loaded after the page has hydrated rather than before it
// (chat-runtime.ts). Until it arrives the thread is the messages the server rendered, status `ready`, and a
// call (send, regenerate, stop…) waits for it; then an AI SDK Chat takes over those messages. Once loaded
// (the next conversation opened in this tab), the Chat is there from the first render, as with useChat.
// The subscription code follows useChat's own (@ai-sdk/react 3.0), including resuming a live answer, except
// that a request's first updates wait until its fetch has been called (see `hold`).
import type { Chat } from '@ai-sdk/react';
import type { ChatInit, ChatStatus, ChatTransport, UIMessage } from 'ai';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { whenIdle } from './when-idle';

type Runtime = typeof import('./chat-runtime');

let loaded: Runtime | undefined;
let loading: Promise<Runtime> | undefined;

/** The AI SDK, once per tab. */
function loadRuntime(): Promise<Runtime> {
  loading ??= import('./chat-runtime').then((runtime) => (loaded = runtime));
  return loading;
}

type Listener = () => void;

/** What the hook reads and subscribes to: an AI SDK Chat, or the stand-in that holds the messages before it. */
interface ChatSource<M extends UIMessage> {
  messages: M[];
  readonly status: ChatStatus;
  readonly error: Error | undefined;
  '~registerMessagesCallback': (onChange: Listener, throttleWaitMs?: number) => () => void;
  '~registerStatusCallback': (onChange: Listener) => () => void;
  '~registerErrorCallback': (onChange: Listener) => () => void;
}

/** The thread before the AI SDK is loaded: nothing can be streaming, only setMessages changes it. */
class PendingChat<M extends UIMessage> implements ChatSource<M> {
  readonly status: ChatStatus = 'ready';
  readonly error = undefined;
  #messages: M[];
  #listeners = new Set<Listener>();
  constructor(messages: M[]) {
    this.#messages = messages;
  }
  get messages(): M[] {
    return this.#messages;
  }
  set messages(next: M[]) {
    this.#messages = [...next];
    for (const listener of this.#listeners) listener();
  }
  '~registerMessagesCallback' = (onChange: Listener) => {
    this.#listeners.add(onChange);
    return () => void this.#listeners.delete(onChange);
  };
  '~registerStatusCallback' = () => () => {};
  '~registerErrorCallback' = () => () => {};
}

/** AbstractChat's own (marked internal, so not in its types): what useChat calls when the tab becomes visible. */
interface Resumable {
  '~resumeStreamIfDisconnected': (options: { shouldResume: () => boolean }) => Promise<void>;
}

/** What the hook shows of a source. */
interface Shown<M extends UIMessage> {
  source: ChatSource<M>;
  messages: M[];
  status: ChatStatus;
}

const shownOf = <M extends UIMessage>(source: ChatSource<M>): Shown<M> => ({ source, messages: source.messages, status: source.status });

export interface LazyChatOptions<M extends UIMessage> {
  id: string;
  messages: M[];
  /**
   * Made once the AI SDK is loaded (it needs the SDK's DefaultChatTransport). Its fetch calls `requestSent` as
   * soon as the request is on its way (before awaiting the response): the thread re-renders only then.
   */
  transport: (runtime: Runtime, requestSent: () => void) => ChatTransport<M>;
  experimental_throttle?: number;
  /** The server is still generating an answer: resume its stream (and again when the tab becomes visible). */
  resume?: boolean;
  onData?: ChatInit<M>['onData'];
  onFinish?: ChatInit<M>['onFinish'];
}

export function useLazyChat<M extends UIMessage>({
  id,
  messages: initialMessages,
  transport,
  experimental_throttle: throttleWaitMs,
  resume = false,
  onData,
  onFinish,
}: LazyChatOptions<M>) {
  const latest = useRef({ onData, onFinish, transport });
  latest.current = { onData, onFinish, transport };

  // A send changes the thread (the user's message, status `submitted`) before the AI SDK calls fetch, and React
  // renders such a change in a microtask, i.e. before the request leaves: ~10 ms of click → request on a long
  // thread. So from a send until its fetch has been called (or, failing that, a timer set at the send fires)
  // what the hook shows stays as it was — also to a render something else causes, while the source stays the
  // same — then changes at once: the request leaves first, and the same frame still shows the message.
  const held = useRef<Map<unknown, Listener> | null>(null);
  /** Runs `show` (take the Chat's new state into the snapshot, tell React) now, or when the hold ends. */
  const notify = useCallback((key: unknown, show: Listener) => {
    if (held.current) held.current.set(key, show);
    else show();
  }, []);
  const release = useCallback(() => {
    const pending = held.current;
    held.current = null;
    for (const show of pending?.values() ?? []) show();
  }, []);
  const hold = useCallback(() => {
    if (held.current) return;
    held.current = new Map();
    setTimeout(release, 0);
  }, [release]);

  const create = useCallback(
    (runtime: Runtime, messages: M[]) =>
      new runtime.Chat<M>({
        id,
        messages,
        transport: latest.current.transport(runtime, release),
        onData: (part) => latest.current.onData?.(part),
        onFinish: (event) => latest.current.onFinish?.(event),
      }),
    [id, release],
  );
  const [source, setSource] = useState<ChatSource<M>>(() => (loaded ? create(loaded, initialMessages) : new PendingChat(initialMessages)));
  // The source now, for calls made between a render and the next (and from promises).
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const chatRef = useRef<Chat<M> | null>(source instanceof PendingChat ? null : (source as Chat<M>));
  const readyRef = useRef<Promise<Chat<M>> | null>(null);

  /** The AI SDK Chat, made (from the messages held so far) once the SDK is loaded. */
  const ready = useCallback((): Promise<Chat<M>> => {
    if (chatRef.current) return Promise.resolve(chatRef.current);
    readyRef.current ??= loadRuntime().then((runtime) => {
      if (!chatRef.current) {
        chatRef.current = create(runtime, sourceRef.current.messages);
        sourceRef.current = chatRef.current;
        setSource(chatRef.current);
      }
      return chatRef.current;
    });
    return readyRef.current;
  }, [create]);

  // Load it once the page is up and idle: by the time someone types and sends, it is there (a send before then
  // loads it at once).
  useEffect(() => {
    void whenIdle().then(ready);
  }, [ready]);

  // What the hook shows of the source: its messages (throttled) and status, as of the last notify.
  const snapshot = useRef(shownOf(source));
  if (snapshot.current.source !== source) snapshot.current = shownOf(source);
  /** A function that takes `pick()` of the source into the snapshot and tells React (unless the source changed). */
  const showing = useCallback(
    (update: Listener, pick: () => Partial<Shown<M>>) => () => {
      if (snapshot.current.source !== source) return;
      snapshot.current = { ...snapshot.current, ...pick() };
      update();
    },
    [source],
  );
  /**
   * On subscribing: what changed since the render (React compares the snapshot right after) — at once, or,
   * during a hold (a send made before the new source's subscriptions were attached), when it ends.
   */
  const catchUp = useCallback(
    (update: Listener) => {
      if (!held.current) snapshot.current = shownOf(source);
      else {
        const show = showing(update, () => shownOf(source));
        held.current.set(show, show);
      }
    },
    [source, showing],
  );
  const subscribeToMessages = useCallback(
    (update: Listener) => {
      let subscribed = true;
      const unsubscribe = source['~registerMessagesCallback'](() => {
        if (!subscribed || snapshot.current.source !== source) return;
        notify(
          update,
          showing(update, () => ({ messages: source.messages })),
        );
      }, throttleWaitMs);
      catchUp(update);
      return () => {
        subscribed = false;
        unsubscribe();
      };
    },
    [source, throttleWaitMs, notify, showing, catchUp],
  );
  const getMessages = useCallback(() => snapshot.current.messages, []);
  const getStatus = useCallback(() => snapshot.current.status, []);
  const messages = useSyncExternalStore(subscribeToMessages, getMessages, getMessages);
  const subscribeToStatus = useCallback(
    (update: Listener) => {
      const unsubscribe = source['~registerStatusCallback'](() => {
        if (snapshot.current.source !== source) return;
        // The throttled messages catch up when an answer ends.
        notify(
          update,
          showing(update, () => (source.status === 'ready' || source.status === 'error' ? shownOf(source) : { status: source.status })),
        );
      });
      catchUp(update);
      return unsubscribe;
    },
    [source, notify, showing, catchUp],
  );
  const status = useSyncExternalStore(subscribeToStatus, getStatus, getStatus);
  const error = useSyncExternalStore(
    source['~registerErrorCallback'],
    () => source.error,
    () => source.error,
  );

  const setMessages = useCallback((next: M[] | ((current: M[]) => M[])) => {
    const current = sourceRef.current;
    current.messages = typeof next === 'function' ? next(current.messages) : next;
  }, []);
  /** Runs a request-making call on the Chat: at once when it is there (no promise hop before the request). */
  const request = useCallback(
    <T>(call: (chat: Chat<M>) => Promise<T>): Promise<T> => {
      const run = (chat: Chat<M>) => {
        hold();
        return call(chat);
      };
      return chatRef.current ? run(chatRef.current) : ready().then(run);
    },
    [ready, hold],
  );
  const sendMessage = useCallback((...args: Parameters<Chat<M>['sendMessage']>) => request((chat) => chat.sendMessage(...args)), [request]);
  const regenerate = useCallback((...args: Parameters<Chat<M>['regenerate']>) => request((chat) => chat.regenerate(...args)), [request]);
  const stop = useCallback(() => ready().then((chat) => chat.stop()), [ready]);
  const clearError = useCallback(() => chatRef.current?.clearError(), []);

  // A live answer: resume its stream now, and again when the tab comes back after the stream dropped.
  const chat = source instanceof PendingChat ? null : (source as Chat<M>);
  useEffect(() => {
    if (!resume || !chat) return;
    let active = true;
    let pending: Promise<void> | undefined;
    if (chat.status !== 'submitted' && chat.status !== 'streaming') void chat.resumeStream();
    const onVisibilityChange = () => {
      if (document.visibilityState !== 'visible' || pending) return;
      const settle = () => {
        pending = undefined;
      };
      pending = (chat as unknown as Resumable)
        ['~resumeStreamIfDisconnected']({ shouldResume: () => active && document.visibilityState === 'visible' })
        .then(settle, settle);
    };
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      active = false;
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [resume, chat]);

  return { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError };
}

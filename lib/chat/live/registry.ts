// The registry of answers being generated in this process, by conversation: lets a reload or a second
// tab resume the live stream (replay from the start, then follow), and lets Stop abort the upstream call.
//
// Given a relay (index.ts passes the Redis one when REDIS_URL is set), every answer is also mirrored so
// that any instance can serve the resume and pass a Stop on to the instance generating the answer. The
// mirror never sits between the upstream and the browser: push() records the chunk here and hands it to
// the mirror's queue synchronously; the store is written afterwards, in batches.
import type { AbortReason, AnswerMirror, StreamRelay } from './types';

type Listener = (chunk: string | null) => void;

export class ActiveStream {
  private readonly chunks: string[] = [];
  private readonly listeners = new Set<Listener>();
  private ended = false;
  readonly controller = new AbortController();
  readonly startedAt = Date.now();
  /** Set by the registry when answers are shared between instances. */
  mirror: AnswerMirror | undefined;

  constructor(
    readonly conversationId: string,
    readonly messageId: string,
    readonly userId: string,
  ) {}

  get done(): boolean {
    return this.ended;
  }

  abort(reason: AbortReason): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** Records one piece of the SSE body and hands it to every follower (and the mirror's queue). */
  push(chunk: string): void {
    if (this.ended) return;
    this.chunks.push(chunk);
    for (const listener of this.listeners) listener(chunk);
    this.mirror?.push(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.listeners) listener(null);
    this.listeners.clear();
    this.mirror?.end();
  }

  /** The SSE body from its first byte, then live until the answer ends. */
  follow(): ReadableStream<string> {
    let listener: Listener | undefined;
    return new ReadableStream<string>({
      start: (controller) => {
        for (const chunk of this.chunks) controller.enqueue(chunk);
        if (this.ended) {
          controller.close();
          return;
        }
        listener = (chunk) => (chunk === null ? controller.close() : controller.enqueue(chunk));
        this.listeners.add(listener);
      },
      cancel: () => {
        if (listener) this.listeners.delete(listener);
      },
    });
  }
}

export class ActiveStreams {
  private readonly byConversation = new Map<string, ActiveStream>();
  private relayInstance: StreamRelay | undefined;
  private relayResolved = false;

  /**
   * `relayFactory` is asked once, on first use (never at import: `next build` imports this without
   * settings). None given: answers stay in this process.
   */
  constructor(private readonly relayFactory: () => StreamRelay | undefined = () => undefined) {}

  private relay(): StreamRelay | undefined {
    if (!this.relayResolved) this.attach(this.relayFactory());
    return this.relayInstance;
  }

  private attach(relay: StreamRelay | undefined): void {
    this.relayResolved = true;
    this.relayInstance = relay;
    relay?.onAbort((request) => {
      // Only for the answer named, and only its owner's: the asking instance checked the session.
      const live = this.byConversation.get(request.conversationId);
      if (live && live.messageId === request.messageId && live.userId === request.userId) live.abort(request.reason);
    });
  }

  /** For tests: use this relay (or none) instead of the one the settings name. Later answers only. */
  useRelay(relay: StreamRelay | undefined): void {
    this.attach(relay);
  }

  get(conversationId: string): ActiveStream | undefined {
    return this.byConversation.get(conversationId);
  }

  /** Registers a new answer; undefined when one is already running in this conversation. */
  start(conversationId: string, messageId: string, userId: string): ActiveStream | undefined {
    if (this.byConversation.has(conversationId)) return undefined;
    const stream = new ActiveStream(conversationId, messageId, userId);
    stream.mirror = this.relay()?.mirror(conversationId, messageId, userId);
    this.byConversation.set(conversationId, stream);
    return stream;
  }

  finish(stream: ActiveStream): void {
    stream.end();
    if (this.byConversation.get(stream.conversationId) === stream) this.byConversation.delete(stream.conversationId);
  }

  /** Answers generated in this process. */
  all(): ActiveStream[] {
    return [...this.byConversation.values()];
  }

  /**
   * The user's answer streaming in this conversation here or on another instance (or ended there a
   * short while ago and still replayable), or undefined. Asks Redis only when nothing runs here.
   */
  async live(conversationId: string, userId: string): Promise<{ messageId: string; here: boolean } | undefined> {
    const local = this.byConversation.get(conversationId);
    if (local) return local.userId === userId ? { messageId: local.messageId, here: true } : undefined;
    const shared = await this.relay()?.lookup(conversationId);
    return shared && shared.userId === userId ? { messageId: shared.messageId, here: false } : undefined;
  }

  /**
   * The user's answer in this conversation from its first byte, then live: from here, else from Redis.
   * `isCurrent` (a database check) is asked on the Redis path only: Redis keeps one answer per conversation,
   * ended ones for minutes, so it may name an older answer or a deleted conversation.
   */
  async follow(
    conversationId: string,
    userId: string,
    isCurrent: (messageId: string) => Promise<boolean>,
  ): Promise<ReadableStream<string> | undefined> {
    const local = this.byConversation.get(conversationId);
    if (local) return local.userId === userId ? local.follow() : undefined;
    return this.relay()?.follow(conversationId, userId, isCurrent);
  }

  /** Aborts the user's answer in this conversation, here or on the instance generating it. */
  async abort(conversationId: string, userId: string, reason: AbortReason): Promise<void> {
    const local = this.byConversation.get(conversationId);
    if (local) {
      if (local.userId === userId) local.abort(reason);
      return;
    }
    await this.relay()
      ?.requestAbort(conversationId, userId, reason)
      .catch(() => false);
  }
}

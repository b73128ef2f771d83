// Answers being generated in this process, by conversation: lets a reload or a second tab resume the
// live stream (replay from the start, then follow), and lets Stop abort the upstream call.
// Kept on globalThis: Next.js may load this module more than once per process (one copy per bundle).

export type AbortReason = 'stop' | 'deleted' | 'shutdown' | 'timeout';

type Listener = (chunk: string | null) => void;

export class ActiveStream {
  private readonly chunks: string[] = [];
  private readonly listeners = new Set<Listener>();
  private ended = false;
  readonly controller = new AbortController();
  readonly startedAt = Date.now();

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

  /** Records one piece of the SSE body and hands it to every follower. */
  push(chunk: string): void {
    if (this.ended) return;
    this.chunks.push(chunk);
    for (const listener of this.listeners) listener(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.listeners) listener(null);
    this.listeners.clear();
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

class ActiveStreams {
  private readonly byConversation = new Map<string, ActiveStream>();

  get(conversationId: string): ActiveStream | undefined {
    return this.byConversation.get(conversationId);
  }

  /** Registers a new answer; undefined when one is already running in this conversation. */
  start(conversationId: string, messageId: string, userId: string): ActiveStream | undefined {
    if (this.byConversation.has(conversationId)) return undefined;
    const stream = new ActiveStream(conversationId, messageId, userId);
    this.byConversation.set(conversationId, stream);
    return stream;
  }

  finish(stream: ActiveStream): void {
    stream.end();
    if (this.byConversation.get(stream.conversationId) === stream) this.byConversation.delete(stream.conversationId);
  }

  all(): ActiveStream[] {
    return [...this.byConversation.values()];
  }
}

const KEY = Symbol.for('kimi-chat.active-streams');
const holder = globalThis as unknown as Record<symbol, ActiveStreams | undefined>;
export const activeStreams: ActiveStreams = (holder[KEY] ??= new ActiveStreams());

// The contract between the registry of live answers and a store that shares them between instances.
// Its own module so that the registry and the Redis implementation both depend on it and not on each
// other (the wiring is in index.ts).

export type AbortReason = 'stop' | 'deleted' | 'shutdown' | 'timeout';

/** The copy of one answer kept outside this process (see StreamRelay). */
export interface AnswerMirror {
  /** Queues one piece of the SSE body; never blocks and never throws. */
  push(chunk: string): void;
  /** The answer ended: marks the copy finished (it stays readable for a few minutes). */
  end(): void;
}

/** An answer known to the shared store: live, or ended a short while ago. */
export interface LiveAnswer {
  conversationId: string;
  messageId: string;
  userId: string;
  /** The instance generating it. */
  owner: string;
  ended: boolean;
}

/** Asks the instance generating an answer to abort it. */
export interface AbortRequest {
  conversationId: string;
  messageId: string;
  userId: string;
  reason: AbortReason;
}

/** Shares answers between instances: a mirror per answer, resume and stop from anywhere. */
export interface StreamRelay {
  /** Starts mirroring one answer; undefined when the store is unavailable (in-process resume only). */
  mirror(conversationId: string, messageId: string, userId: string): AnswerMirror | undefined;
  /** The conversation's latest answer in the store, or undefined (also when the store is unavailable). */
  lookup(conversationId: string): Promise<LiveAnswer | undefined>;
  /**
   * The answer's SSE body from its first byte, then live to its end; undefined when none, not the user's,
   * or `isCurrent(messageId)` says it is not the conversation's current answer.
   */
  follow(conversationId: string, userId: string, isCurrent: (messageId: string) => Promise<boolean>): Promise<ReadableStream<string> | undefined>;
  /** Forwards an abort to the instance generating the user's answer; true when one was asked. */
  requestAbort(conversationId: string, userId: string, reason: AbortReason): Promise<boolean>;
  /** Abort requests from other instances for answers generated here. */
  onAbort(handler: (request: AbortRequest) => void): void;
  close(): Promise<void>;
}

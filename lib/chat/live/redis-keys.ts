// The names of everything the live answers keep in Redis, in one place so that the mirror (writer),
// the follower (reader) and the abort channel agree on them.
//
// Keys (prefix `kimi-chat:` unless a test picks its own):
//   answer:{conversationId}              hash: messageId, userId, owner (instance id), startedAt, and
//                                        `ended` = the messageId once that answer ended
//   answer:{conversationId}:{messageId}  stream: entries `d` = a run of the SSE body (the exact bytes
//                                        sent to the browser, in order), then one `end` entry
// Channel instance:{instanceId}: abort requests ({conversationId, messageId, userId, reason}) for the
// answers that instance generates.
import type { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;
export type Log = Pick<Console, 'warn' | 'info'>;

/** The two keys of one answer. */
export interface AnswerKeys {
  meta: string;
  stream: string;
  messageId: string;
}

export class RedisKeys {
  constructor(readonly prefix = 'kimi-chat:') {}

  answer(conversationId: string, messageId: string): AnswerKeys {
    return { meta: this.meta(conversationId), stream: `${this.prefix}answer:${conversationId}:${messageId}`, messageId };
  }

  /** One per conversation: names its latest answer. */
  meta(conversationId: string): string {
    return `${this.prefix}answer:${conversationId}`;
  }

  instanceChannel(instanceId: string): string {
    return `${this.prefix}instance:${instanceId}`;
  }
}

// Wires the live-answer room: the process's registry, with the Redis relay when REDIS_URL is set.
// The only module that knows both sides, so neither the registry nor the Redis code imports the other.
import { config } from '@/lib/config';
import { processRelay } from './redis-relay';
import { ActiveStreams } from './registry';
import type { StreamRelay } from './types';

export { ActiveStream, ActiveStreams } from './registry';
export type { AbortReason, AbortRequest, AnswerMirror, LiveAnswer, StreamRelay } from './types';

/** Read on first use, not at import: `next build` imports this without settings. Unset: nothing connects to Redis. */
function settingsRelay(): StreamRelay | undefined {
  const url = config().security.redisUrl;
  return url ? processRelay(url) : undefined;
}

// Kept on globalThis: Next.js may load this module more than once per process (one copy per bundle).
const KEY = Symbol.for('kimi-chat.active-streams');
const holder = globalThis as unknown as Record<symbol, ActiveStreams | undefined>;
export const activeStreams: ActiveStreams = (holder[KEY] ??= new ActiveStreams(settingsRelay));

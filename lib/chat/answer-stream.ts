// The headers of an answer's event stream (the AI SDK UI message stream).
import { UI_MESSAGE_STREAM_HEADERS } from 'ai';

/**
 * The UI message stream's headers plus `no-transform`: without it `next start` gzips the event stream,
 * and zlib holds small chunks back, so the first words of an answer arrived only with the last.
 */
export const ANSWER_STREAM_HEADERS: Record<string, string> = { ...UI_MESSAGE_STREAM_HEADERS, 'cache-control': 'no-cache, no-transform' };

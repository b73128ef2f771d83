// The chat's numbers that the browser needs too, in a module of their own: client components import them
// from here rather than from lib/contracts.ts or lib/chat/types.ts, whose zod schemas would otherwise be
// bundled into (and evaluated by) every chat page's first load.

/** The longest message a user may send (characters); the composer and the chat route enforce it. */
export const MAX_MESSAGE_CHARS = 100_000;

/** Images in one user message, at most. */
export const MAX_IMAGES_PER_MESSAGE = 4;

/** Messages a conversation opens with: more than a tall screen holds (the page renders and hydrates them all). */
export const NEWEST_PAGE = 10;
/** Messages of each older page, fetched as the reader scrolls up. */
export const THREAD_PAGE = 30;
/** The most a client may ask for in one page (GET /api/conversations/:id/messages?limit=). */
export const MAX_THREAD_PAGE = 100;

/** An import file, at most (a JSON body; lib/chat/transfer-format.ts is the format). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

// Share links: the browser's contract (types and zod only).
import { z } from 'zod';

export const shareVisibilitySchema = z.enum(['link', 'users']);
/** `link`: anyone with the link; `users`: signed-in users of this instance. */
export type ShareVisibility = z.infer<typeof shareVisibilitySchema>;

/** A share id: 32 random bytes, base64url (256 bits: not guessable, not enumerable). */
export const SHARE_ID = /^[A-Za-z0-9_-]{43}$/;

/** One message of a snapshot: what a visitor sees, nothing else (no ids, reasoning, images or documents). */
export interface ShareMessage {
  role: 'user' | 'assistant';
  text: string;
  model: string | null;
}

/** A share link as its owner lists it (GET /api/shares, the account page). */
export interface ShareSummary {
  id: string;
  conversationId: string;
  title: string;
  visibility: ShareVisibility;
  createdAt: string;
  messages: number;
}

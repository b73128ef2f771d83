// GET /api/search: the browser's contract (types only).
import type { SnippetPart } from './search-query';

export interface SearchHit {
  messageId: string;
  conversationId: string;
  /** The conversation's title ('' = untitled). */
  title: string;
  role: 'user' | 'assistant';
  createdAt: string;
  snippet: SnippetPart[];
}

/** The query is not echoed: a response never carries more than the hits. */
export interface SearchResults {
  hits: SearchHit[];
}

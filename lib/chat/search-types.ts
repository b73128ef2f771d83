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

export interface SearchResults {
  query: string;
  hits: SearchHit[];
}

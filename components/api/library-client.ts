// The browser's calls for find, keep and share: message search, pin/archive, export/import, share links.
// Each answers a Result whose refusal is the server's own AppError (components/api/client.ts's request).
import type { SearchResults } from '@/lib/chat/search-types';
import type { ConversationExport } from '@/lib/chat/transfer-format';
import type { ConversationPage, ConversationSummary } from '@/lib/chat/types';
import type { Result } from '@/lib/errors';
import type { ShareSummary, ShareVisibility } from '@/lib/share/types';
import { json, none, request, routes, sendJson } from './client';

const seg = encodeURIComponent;

export const libraryRoutes = {
  search: (q: string) => `/api/search?q=${seg(q)}`,
  archived: (cursor?: string | null) => `/api/conversations?view=archived&limit=50${cursor ? `&cursor=${seg(cursor)}` : ''}`,
  export: (id: string) => `/api/conversations/${seg(id)}/export`,
  import: '/api/conversations/import',
  share: (id: string) => `/api/conversations/${seg(id)}/share`,
  shares: '/api/shares',
  shareLink: (id: string) => `/api/shares/${seg(id)}`,
  /** The shared page itself. */
  sharedPage: (id: string) => `/s/${seg(id)}`,
} as const;

export function searchMessages(q: string, signal?: AbortSignal): Promise<Result<SearchResults>> {
  return request(libraryRoutes.search(q), { signal }, json<SearchResults>);
}

export function organizeConversation(id: string, change: { pinned?: boolean; archived?: boolean }): Promise<Result<void>> {
  return request(routes.conversation(id), sendJson('PATCH', change), none);
}

export function listArchived(cursor?: string | null): Promise<Result<ConversationPage>> {
  return request(libraryRoutes.archived(cursor), {}, json<ConversationPage>);
}

export function exportConversation(id: string): Promise<Result<ConversationExport>> {
  return request(libraryRoutes.export(id), {}, json<ConversationExport>);
}

/** The file's text as it is: the server validates it. */
export function importConversation(fileText: string): Promise<Result<ConversationSummary>> {
  return request(
    libraryRoutes.import,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: fileText },
    json<ConversationSummary>,
  );
}

export function createShare(conversationId: string, visibility: ShareVisibility): Promise<Result<ShareSummary>> {
  return request(libraryRoutes.share(conversationId), sendJson('POST', { visibility }), json<ShareSummary>);
}

export function listShares(): Promise<Result<ShareSummary[]>> {
  return request(libraryRoutes.shares, {}, json<ShareSummary[]>);
}

export function revokeShare(id: string): Promise<Result<void>> {
  return request(libraryRoutes.shareLink(id), { method: 'DELETE' }, none);
}

// Step 1 of a turn: from the request and the stored conversation, work out what to send to Kimi and what
// to write — or a specific error. One database read; no writes. The conversation's documents go in as
// system messages after the system prompt and before the history (Moonshot's recommended shape), on every
// turn, counted from their stored token counts; nothing is ever truncated: it fits, routes, or fails.
import 'server-only';
import type { ModelMessage } from 'ai';
import { db } from '@/lib/db';
import type { ModelInfo } from '@/lib/kimi/catalog';
import { fitContext } from '@/lib/kimi/context';
import { lookupModel } from '@/lib/kimi/models';
import { callSettings, validateSettings, type CallSettings } from '@/lib/kimi/rules';
import { documentSystemMessage, documentTokens } from '@/lib/documents/message';
import { MESSAGE_OVERHEAD_TOKENS, countMessageTokens, countTokens } from '@/lib/kimi/tokenizer';
import { conversationTooLong } from '@/lib/security/limits';
import { toModelHistory } from './message-mapping';
import type { ChatError, ChatRequest, ChatUIMessage } from './types';

export interface PreparedTurn {
  conversationId: string;
  /** false: the first message of a new chat; the row is created with the turn. */
  exists: boolean;
  needsTitle: boolean;
  settings: ChatRequest['settings'];
  requestedModel: ModelInfo;
  servedModelId: string;
  call: CallSettings;
  system: string | undefined;
  /** Documents (system messages), then the history. */
  messages: ModelMessage[];
  promptTokens: number;
  /** The user message to store (absent for regenerate). */
  userMessage: { id: string; parts: ChatUIMessage['parts'] } | undefined;
  /** Messages from this sequence number on are replaced (edit or regenerate). */
  replaceFromSeq: bigint | undefined;
}

export interface PromptDocument {
  name: string;
  content: { text: string; tokens: number };
}

/** The select that brings a conversation's documents with their text and stored counts, oldest first. */
export const promptDocumentsSelect = {
  orderBy: { createdAt: 'asc' },
  select: { name: true, content: { select: { text: true, tokens: true } } },
} as const;

export interface PromptTokens {
  system: number;
  documents: number;
  /** History, with the reply priming. */
  history: number;
  total: number;
}

/** Prompt tokens by part: the history counted here, each document from its stored count. */
export function countPrompt(system: string | undefined, documents: readonly PromptDocument[], history: readonly ModelMessage[]): PromptTokens {
  const systemTokens = system ? MESSAGE_OVERHEAD_TOKENS + countTokens(system) : 0;
  const documentsTokens = documents.reduce((sum, d) => sum + documentTokens(d.content.tokens, d.name), 0);
  const historyTokens = countMessageTokens(history as Array<{ role: string; content: string }>);
  return { system: systemTokens, documents: documentsTokens, history: historyTokens, total: systemTokens + documentsTokens + historyTokens };
}

export const documentMessages = (documents: readonly PromptDocument[]): ModelMessage[] =>
  documents.map((d) => ({ role: 'system', content: documentSystemMessage(d.name, d.content.text) }));

export type PrepareResult = { ok: true; turn: PreparedTurn } | { ok: false; status: number; error: ChatError };

const fail = (status: number, error: ChatError): PrepareResult => ({ ok: false, status, error });

export async function prepareTurn(userId: string, request: ChatRequest): Promise<PrepareResult> {
  // lookupModel also knows kimi-* models that only Kimi's /models listed.
  const invalid = validateSettings(request.settings, lookupModel);
  if (invalid) return fail(400, invalid);

  const prisma = await db();
  const conversation = await prisma.conversation.findUnique({
    where: { id: request.id },
    select: {
      userId: true,
      deletedAt: true,
      title: true,
      messages: { orderBy: { seq: 'asc' }, select: { id: true, seq: true, role: true, parts: true } },
      documents: promptDocumentsSelect,
    },
  });
  if (conversation && (conversation.userId !== userId || conversation.deletedAt)) {
    return fail(404, { code: 'not_found', retryable: false });
  }
  const rows = (conversation?.messages ?? []).map((m) => ({ ...m, parts: m.parts as unknown as ChatUIMessage['parts'] }));

  let kept = rows;
  let replaceFromSeq: bigint | undefined;
  let userMessage: PreparedTurn['userMessage'];
  if (request.trigger === 'submit-message') {
    if (!request.message) return fail(400, { code: 'bad_request', detail: 'message is required', retryable: false });
    if (rows.some((r) => r.id === request.message?.id)) {
      return fail(409, { code: 'bad_request', detail: 'message id already used', retryable: false });
    }
    if (request.editOf) {
      const index = rows.findIndex((r) => r.id === request.editOf);
      const lastUser = rows.findLastIndex((r) => r.role === 'user');
      if (index === -1 || index !== lastUser) {
        return fail(409, { code: 'bad_request', detail: 'only the last user message can be edited', retryable: false });
      }
      kept = rows.slice(0, index);
      replaceFromSeq = rows[index]?.seq;
    }
    userMessage = { id: request.message.id, parts: request.message.parts };
  } else {
    const lastUser = rows.findLastIndex((r) => r.role === 'user');
    if (lastUser === -1) return fail(409, { code: 'bad_request', detail: 'nothing to regenerate', retryable: false });
    kept = rows.slice(0, lastUser + 1);
    replaceFromSeq = rows[lastUser + 1]?.seq;
  }

  const tooMany = userMessage ? conversationTooLong(kept.length) : null;
  if (tooMany) return fail(400, tooMany);

  const history = toModelHistory(kept);
  if (userMessage) history.push({ role: 'user', content: userMessage.parts.map((p) => (p.type === 'text' ? p.text : '')).join('') });
  const system = request.settings.systemPrompt.trim() === '' ? undefined : request.settings.systemPrompt;
  const documents = conversation?.documents ?? [];
  const promptTokens = countPrompt(system, documents, history).total;

  const requestedModel = lookupModel(request.settings.model);
  if (!requestedModel) return fail(400, { code: 'model_not_found', params: { model: request.settings.model }, retryable: false });
  const call = callSettings(requestedModel, request.settings);
  // Documents may need more than moonshot-v1's 128k: auto may then route to a 256k kimi-k2 model.
  const fit = fitContext({
    requestedModel: requestedModel.id,
    promptTokens,
    maxOutputTokens: call.maxOutputTokens,
    allowKimi256k: documents.length > 0,
    lookup: lookupModel,
  });
  if (!fit.ok) return fail(400, fit.error);

  return {
    ok: true,
    turn: {
      conversationId: request.id,
      exists: conversation !== null,
      needsTitle: !conversation || conversation.title === '',
      settings: request.settings,
      requestedModel,
      servedModelId: fit.servedModel,
      call,
      system,
      messages: [...documentMessages(documents), ...history],
      promptTokens,
      userMessage,
      replaceFromSeq,
    },
  };
}

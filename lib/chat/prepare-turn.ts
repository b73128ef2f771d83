// Step 1 of a turn: from the request and the stored conversation, work out what to send to Kimi and what
// to write — or a specific error. One database read (./turn-read); no writes (but the ms:// ids of images first uploaded to
// Kimi's file API, when the admin chose it). The conversation's documents go in as
// system messages after the system prompt and before the history (Moonshot's recommended shape), on every
// turn, counted from their stored token counts; nothing is ever truncated: it fits, routes, or fails.
// The system message is the user's custom instructions (account page) followed by the chat's own system
// prompt (systemMessage below), so the meter and the turn count the same text.
import 'server-only';
import type { ModelMessage } from 'ai';
import { readWebSearchEnabled } from '@/lib/admin/settings';
import { servedModels } from '@/lib/chat/models';
import type { ChatRequest, ChatUIMessage } from '@/lib/chat/types';
import { db } from '@/lib/db';
import { getExtractor } from '@/lib/documents/extractor-setting';
import { imagesTokens, readOwnImages } from '@/lib/documents/images';
import { kimiImageUrls } from '@/lib/documents/kimi-images';
import { documentSystemMessage, documentTokens } from '@/lib/documents/message';
import { type AppError, ok, type Result, refuse } from '@/lib/errors';
import { AUTO_MODEL_ID, type ModelInfo } from '@/lib/kimi/catalog';
import { type FitRequest, type FitResult, fitContext } from '@/lib/kimi/context';
import { IMAGE_MEDIA_TYPES } from '@/lib/kimi/images';
import { autoCandidatesOf } from '@/lib/kimi/models';
import { type CallSettings, callSettings, validateTemperature } from '@/lib/kimi/rules';
import { countMessageTokens, countTokens, MESSAGE_OVERHEAD_TOKENS } from '@/lib/kimi/tokenizer';
import { conversationTooLong } from '@/lib/security/limits';
import { type HistoryImages, imageIdsOf, textOf, toModelHistory } from './message-mapping';
import { currentPath, pathTo } from './tree';
import { readTurn } from './turn-read';

export interface PreparedTurn {
  conversationId: string;
  /** false: the first message of a new chat; the row is created with the turn. */
  exists: boolean;
  needsTitle: boolean;
  settings: ChatRequest['settings'];
  /** What the conversation asked for: `auto` or a model id (the ledger's requestedModel). */
  requestedModelId: string;
  /** The model that is called (Auto's pick, or the one asked for). */
  servedModel: ModelInfo;
  call: CallSettings;
  /** Offer `$web_search` (the conversation's toggle, and the instance allows it): see chat-turn's search rule. */
  webSearch: boolean;
  system: string | undefined;
  /** Documents (system messages), then the history. */
  messages: ModelMessage[];
  promptTokens: number;
  /** The user message to store (absent for regenerate). */
  userMessage: { id: string; parts: ChatUIMessage['parts'] } | undefined;
  /** Where the turn's first new message hangs in the tree: the new user message's parent, or (regenerate) the answer's. */
  parentId: string | null;
  /** Regenerate: the earlier answers to the same message, oldest first (the new one is added after them). */
  answerSiblings: string[];
  /** continue-message: the answer being extended (in partial mode) and its parts so far. */
  continued?: { id: string; parts: ChatUIMessage['parts'] };
}

export interface PromptDocument {
  name: string;
  content: { text: string; tokens: number };
}

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

const fail = (status: number, error: AppError): Result<never> => refuse(error, status);

/**
 * The one system message of a turn: the user's custom instructions first (they apply to every chat), then
 * this chat's own system prompt, a blank line between; undefined when both are blank.
 */
export function systemMessage(customInstructions: string, chatPrompt: string): string | undefined {
  const parts = [customInstructions, chatPrompt].filter((p) => p.trim() !== '');
  return parts.length === 0 ? undefined : parts.join('\n\n');
}

export async function prepareTurn(userId: string, request: ChatRequest): Promise<Result<PreparedTurn>> {
  const prisma = await db();
  const [{ conversation, customInstructions }, served, searchAllowed] = await Promise.all([
    readTurn(prisma, userId, request.id),
    servedModels(),
    request.settings.webSearch ? readWebSearchEnabled(prisma) : false,
  ]);
  if (conversation && (conversation.userId !== userId || conversation.deletedAt)) {
    return fail(404, { code: 'not_found', retryable: false });
  }
  const rows = conversation?.messages ?? [];

  // The conversation is a tree: the turn works on one path of it (lib/chat/tree.ts), and only that path is sent.
  const path = currentPath(rows, conversation?.leafId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  let kept: typeof rows;
  let parentId: string | null;
  let answerSiblings: string[] = [];
  let userMessage: PreparedTurn['userMessage'];
  let continued: PreparedTurn['continued'];
  if (request.trigger === 'submit-message') {
    if (!request.message) return fail(400, { code: 'bad_request', detail: 'message is required', retryable: false });
    if (byId.has(request.message.id)) {
      return fail(409, { code: 'bad_request', detail: 'message id already used', retryable: false });
    }
    if (request.editOf) {
      // An edit is a new sibling of the edited message: same parent, a branch of its own.
      const edited = byId.get(request.editOf);
      if (edited?.role !== 'user')
        return fail(409, { code: 'bad_request', detail: 'the edited message is not a user message of this conversation', retryable: false });
      parentId = edited.parentId;
    } else if (request.parentId !== undefined) {
      parentId = request.parentId;
      if (parentId !== null && byId.get(parentId)?.role !== 'assistant') {
        return fail(409, { code: 'bad_request', detail: 'the parent is not an answer of this conversation', retryable: false });
      }
    } else {
      parentId = path.at(-1)?.id ?? null;
    }
    kept = pathTo(rows, parentId);
    userMessage = { id: request.message.id, parts: request.message.parts };
  } else if (request.trigger === 'continue-message') {
    const last = path.at(-1);
    if (!last || last.id !== request.continueOf || last.role !== 'assistant' || last.status !== 'complete' || last.cutReason !== 'length') {
      return fail(409, { code: 'bad_request', detail: 'only the last answer, cut off at its length limit, can be continued', retryable: false });
    }
    continued = { id: last.id, parts: last.parts };
    kept = path.slice(0, -1);
    parentId = last.parentId;
  } else {
    // A new answer to the user message, next to the earlier ones (which stay reachable).
    const question = request.parentId ? byId.get(request.parentId) : path.findLast((r) => r.role === 'user');
    if (request.parentId && question?.role !== 'user') {
      return fail(409, { code: 'bad_request', detail: 'the parent is not a user message of this conversation', retryable: false });
    }
    if (!question) return fail(409, { code: 'bad_request', detail: 'nothing to regenerate', retryable: false });
    kept = pathTo(rows, question.id);
    parentId = question.id;
    answerSiblings = rows.filter((r) => r.parentId === question.id).map((r) => r.id);
  }

  const tooMany = userMessage ? conversationTooLong(kept.length) : null;
  if (tooMany) return fail(400, tooMany);

  // Images: the ones the history and the new message refer to, read from disk (only the user's own).
  const newImageIds = userMessage ? imageIdsOf(userMessage.parts) : [];
  const imageIds = [...kept.flatMap((r) => (r.role === 'user' ? imageIdsOf(r.parts) : [])), ...newImageIds];
  const stored = imageIds.length > 0 ? await readOwnImages(userId, imageIds) : new Map<string, never>();
  if (newImageIds.some((id) => !stored.has(id))) return fail(400, { code: 'bad_request', detail: 'image not found', retryable: false });
  const inline = new Map([...stored].map(([id, image]) => [id, { data: image.sent.data, mediaType: IMAGE_MEDIA_TYPES[image.sent.format] }]));

  const historyWith = (images: HistoryImages): ModelMessage[] => {
    const history = toModelHistory(kept, images);
    if (userMessage) history.push(...toModelHistory([{ role: 'user', parts: userMessage.parts }], images));
    // Partial mode: Kimi continues the cut answer from its last character.
    if (continued) history.push({ role: 'assistant', content: textOf(continued.parts), providerOptions: { moonshotai: { partial: true } } });
    return history;
  };
  let history = historyWith(inline);
  const system = systemMessage(customInstructions, request.settings.systemPrompt);
  const documents = conversation?.documents ?? [];
  // A continuation stays on the model that wrote the answer, when it is still served.
  const continuedOn = continued ? served.find((m) => m.id === path.at(-1)?.model) : undefined;
  const measured = measurePrompt({
    system,
    documents,
    history,
    model: continuedOn?.id ?? request.settings.model,
    served,
    imageTokens: imagesTokens(imageIds, stored),
  });
  if (!measured.ok) return fail(400, measured.error);
  // Models that take no images refuse before any call, naming one that does.
  const picked = measured.requested.auto ? (measured.fit.ok ? measured.fit.servedModel : undefined) : measured.requested.model;
  if (stored.size > 0 && picked && !picked.vision) {
    const suggested = served.find((m) => m.vision)?.id ?? '';
    return fail(400, { code: 'model_no_images', params: { model: picked.id, suggested }, retryable: false });
  }
  const { fit, requested } = measured;
  const promptTokens = measured.tokens.total;
  if (!requested.auto) {
    const invalid = validateTemperature(requested.model, request.settings);
    if (invalid) return fail(400, invalid);
  }
  if (!fit.ok) return fail(400, fit.error);

  // As the admin's extractor setting chooses: images inline (data: URLs), or uploaded once to Kimi's file API
  // and referenced as ms:// ids (lib/documents/kimi-images.ts) — only now that the turn will be sent.
  if (stored.size > 0 && (await getExtractor()) === 'kimi') {
    const urls = await kimiImageUrls([...stored.values()]);
    if (!urls.ok) return urls;
    history = historyWith(
      new Map(
        [...stored].map(([id, image]) => [
          id,
          { data: urls.value.get(image.sha256) ?? image.sent.data, mediaType: IMAGE_MEDIA_TYPES[image.sent.format] },
        ]),
      ),
    );
  }

  return ok({
    conversationId: request.id,
    exists: conversation !== null,
    needsTitle: !conversation || conversation.title === '',
    settings: request.settings,
    requestedModelId: request.settings.model,
    servedModel: fit.servedModel,
    call: callSettings(fit.servedModel, request.settings, fit.maxOutputTokens),
    webSearch: request.settings.webSearch && searchAllowed,
    system,
    messages: [...documentMessages(documents), ...history],
    promptTokens,
    userMessage,
    parentId,
    answerSiblings,
    ...(continued ? { continued } : {}),
  });
}

export interface PromptInput {
  system: string | undefined;
  documents: readonly PromptDocument[];
  history: readonly ModelMessage[];
  /** `auto` or a model id. */
  model: string;
  served: readonly ModelInfo[];
  /** The images' estimated tokens (lib/kimi/images.ts), counted with the history. */
  imageTokens?: number;
}

/**
 * The one measure of a prompt, for the turn and the context meter alike: its tokens by part, the model
 * that would answer (Auto's pick, or the one asked for) and whether prompt + answer budget fit its window.
 */
export function measurePrompt({
  system,
  documents,
  history,
  model,
  served,
  imageTokens = 0,
}: PromptInput): { ok: true; tokens: PromptTokens; requested: FitRequest['requested']; fit: FitResult } | { ok: false; error: AppError } {
  const requested = resolveRequested(model, served);
  if ('error' in requested) return { ok: false, error: requested.error };
  const counted = countPrompt(system, documents, history);
  const tokens = { ...counted, history: counted.history + imageTokens, total: counted.total + imageTokens };
  return { ok: true, tokens, requested, fit: fitContext({ requested, promptTokens: tokens.total, served }) };
}

/** The conversation's choice among what the endpoint serves: Auto with its candidates, or a served model. */
export function resolveRequested(modelId: string, served: readonly ModelInfo[]): FitRequest['requested'] | { error: AppError } {
  const notServed = { error: { code: 'model_not_found' as const, params: { model: modelId }, retryable: false } };
  if (modelId === AUTO_MODEL_ID) {
    const candidates = autoCandidatesOf(served);
    return candidates.length > 0 ? { auto: true, candidates } : notServed;
  }
  const model = served.find((m) => m.id === modelId);
  return model ? { auto: false, model } : notServed;
}

/** null when a conversation may be set to these settings: a served model (or Auto) and a valid temperature. */
export async function settingsError(settings: ChatRequest['settings']): Promise<AppError | null> {
  const requested = resolveRequested(settings.model, await servedModels());
  if ('error' in requested) return requested.error;
  return requested.auto ? null : validateTemperature(requested.model, settings);
}

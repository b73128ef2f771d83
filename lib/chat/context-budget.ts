// The context meter's numbers for the next turn, measured exactly as prepareTurn measures them (measurePrompt): system
// message (the user's custom instructions and the chat's prompt), documents (stored counts), the current path's
// history (+ the draft: its text and the images attached in the composer), the reserved answer, the window of the
// chosen model (or of auto's pick), whether it fits and, if not, by how much and what would fit.
// One rule for "too long by": against the chosen model's window when another served model would hold it
// (the suggestion), else against the largest served window — what is left to cut is the same on every
// model then. A turn that does not fit costs nothing: no cost is quoted.
import 'server-only';
import { config } from '@/lib/config';
import type { ContextBudget } from '@/lib/contracts';
import { db } from '@/lib/db';
import { imagesTokens, readOwnImageSizes } from '@/lib/documents/images';
import { MIN_ANSWER_TOKENS } from '@/lib/kimi/context';
import { ratesAt } from '@/lib/usage/prices';
import { imageIdsOf, toModelHistory } from './message-mapping';
import { servedModels } from './models';
import { measurePrompt, systemMessage } from './prepare-turn';
import { currentPath } from './tree';
import { readTurn } from './turn-read';

/** null: the conversation is someone else's (or deleted), or the model is neither Auto nor served. */
export async function contextBudget(
  userId: string,
  conversationId: string,
  modelId: string,
  draftText = '',
  draftImageIds: readonly string[] = [],
): Promise<ContextBudget | null> {
  const prisma = await db();
  const [served, { conversation, customInstructions }] = await Promise.all([servedModels(), readTurn(prisma, userId, conversationId)]);
  if (conversation && (conversation.userId !== userId || conversation.deletedAt)) return null;

  // The current path only, as a turn sends it (lib/chat/tree.ts).
  const rows = currentPath(conversation?.messages ?? [], conversation?.leafId);
  const history = toModelHistory(rows);
  // The history's images and those attached in the composer, counted as prepareTurn counts them.
  const imageIds = [...rows.flatMap((r) => (r.role === 'user' ? imageIdsOf(r.parts) : [])), ...draftImageIds];
  const sizes = await readOwnImageSizes(userId, imageIds);
  if (draftText.trim() !== '' || draftImageIds.length > 0) history.push({ role: 'user', content: draftText });
  const measured = measurePrompt({
    system: systemMessage(customInstructions, conversation?.systemPrompt ?? ''),
    documents: conversation?.documents ?? [],
    history,
    model: modelId,
    served,
    imageTokens: imagesTokens(imageIds, sizes),
  });
  if (!measured.ok) return null;
  const { tokens, requested, fit } = measured;

  const servedModel = fit.ok ? fit.servedModel.id : null;
  const reserved = fit.maxOutputTokens;
  const totalTokens = tokens.total + reserved;
  const { currency } = config().kimi;
  const priced = servedModel ?? (requested.auto ? null : requested.model.id);
  const rates = priced && fit.ok ? await ratesAt(prisma, priced, currency) : null;
  const largest = served
    .filter((m) => !m.routes)
    .reduce<(typeof served)[number] | undefined>((a, m) => (a && a.contextWindow >= m.contextWindow ? a : m), undefined);
  const over = fit.ok
    ? 0
    : fit.suggestedModel || !largest
      ? totalTokens - fit.window
      : tokens.total + Math.min(MIN_ANSWER_TOKENS, largest.defaultMaxTokens) - largest.contextWindow;
  return {
    model: modelId,
    servedModel,
    window: fit.window,
    systemTokens: tokens.system,
    historyTokens: tokens.history,
    documentsTokens: tokens.documents,
    reservedTokens: reserved,
    totalTokens,
    fits: fit.ok,
    over,
    suggestedModel: fit.ok ? null : (fit.suggestedModel ?? null),
    // An upper bound: the whole prompt at the uncached input rate, the whole reserve at the output rate.
    cost: rates ? { amount: (tokens.total * Number(rates.input) + reserved * Number(rates.output)) / 1e6, currency } : null,
  };
}

// The context meter's numbers for the next turn, counted exactly as prepareTurn counts them: system
// prompt, documents (stored counts), history (+ the draft), the reserved answer, the window of the
// chosen model (or of auto's pick), whether it fits and, if not, by how much and what would fit.
import 'server-only';
import type { ContextBudget } from '@/lib/chat/types';
import { countPrompt, promptDocumentsSelect } from '@/lib/chat/prepare-turn';
import { toModelHistory } from '@/lib/chat/message-mapping';
import type { ChatUIMessage } from '@/lib/chat/types';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { fitContext } from '@/lib/kimi/context';
import { lookupModel } from '@/lib/kimi/models';
import { callSettings } from '@/lib/kimi/rules';
import { ratesAt } from '@/lib/usage/prices';

/** null: the conversation is someone else's (or deleted), or the model is unknown. */
export async function contextBudget(userId: string, conversationId: string, modelId: string, draftText = ''): Promise<ContextBudget | null> {
  const model = lookupModel(modelId);
  if (!model) return null;
  const prisma = await db();
  const conversation = await prisma.conversation.findUnique({
    where: { id: conversationId },
    select: {
      userId: true,
      deletedAt: true,
      systemPrompt: true,
      temperature: true,
      messages: { orderBy: { seq: 'asc' }, select: { role: true, parts: true } },
      documents: promptDocumentsSelect,
    },
  });
  if (conversation && (conversation.userId !== userId || conversation.deletedAt)) return null;

  const history = toModelHistory((conversation?.messages ?? []).map((m) => ({ role: m.role, parts: m.parts as unknown as ChatUIMessage['parts'] })));
  if (draftText.trim() !== '') history.push({ role: 'user', content: draftText });
  const systemPrompt = conversation?.systemPrompt ?? '';
  const documents = conversation?.documents ?? [];
  const tokens = countPrompt(systemPrompt.trim() === '' ? undefined : systemPrompt, documents, history);
  const reserved = callSettings(model, { model: model.id, systemPrompt, temperature: conversation?.temperature ?? null }).maxOutputTokens;
  const fit = fitContext({ requestedModel: model.id, promptTokens: tokens.total, maxOutputTokens: reserved, allowKimi256k: documents.length > 0, lookup: lookupModel });

  const servedModel = fit.ok ? fit.servedModel : null;
  const window = fit.ok ? fit.window : Number(fit.error.params?.window ?? model.contextWindow);
  const totalTokens = tokens.total + reserved;
  const { currency } = config().kimi;
  const rates = await ratesAt(prisma, servedModel ?? model.id, currency);
  return {
    model: model.id,
    servedModel,
    window,
    systemTokens: tokens.system,
    historyTokens: tokens.history,
    documentsTokens: tokens.documents,
    reservedTokens: reserved,
    totalTokens,
    fits: fit.ok,
    over: fit.ok ? 0 : totalTokens - window,
    suggestedModel: fit.ok ? null : (fit.suggestedModel ?? null),
    // An upper bound: the whole prompt at the uncached input rate, the whole reserve at the output rate.
    cost: rates ? { amount: (tokens.total * Number(rates.input) + reserved * Number(rates.output)) / 1e6, currency } : null,
  };
}

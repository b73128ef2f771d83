// A short title for a new conversation, from its first question. It is asked for once the answer's first
// words arrive, and after the turns that came before it have theirs (./chat-turn: at most 2 s, and not past
// its own answer's end), so it rarely delays a first token and is ready before a typical answer ends; its
// upstream call goes into the ledger like any other.
import 'server-only';
import { servedModels } from '@/lib/chat/models';
import { Prisma } from '@/lib/db/generated/client';
import type { ModelInfo } from '@/lib/kimi/catalog';
import { completeUpstream } from '@/lib/kimi/complete';
import { toAppError } from '@/lib/kimi/errors';
import { autoCandidatesOf } from '@/lib/kimi/models';
import { callSettings } from '@/lib/kimi/rules';
import { stripBidiControls } from '@/lib/security/unicode';
import { commitStatementWithUsage, recordUsage, type UpstreamCall, usageRow } from '@/lib/usage/ledger';
import type { PreparedTurn } from './prepare-turn';

/** Titles need no reasoning: the cheapest served model that can turn it off, with a small budget. */
const TITLE_MAX_TOKENS = 64;
/** Otherwise the cheapest Auto candidate, thinking as little as it allows, with room to think first. */
const TITLE_REASONING_MAX_TOKENS = 2_048;
const TITLE_SYSTEM =
  'You write conversation titles. Reply with a title of at most six words for a conversation that starts with the message below, in the language of the user, with no quotes and no final punctuation.';
/** Generated titles are short; a user may rename up to MAX_TITLE_CHARS (lib/chat/conversations). */
const MAX_GENERATED_TITLE_CHARS = 80;
const CLIP_CHARS = 2_000;

export function cleanTitle(raw: string): string {
  const firstLine = raw.split('\n').find((line) => line.trim() !== '') ?? '';
  const title = stripBidiControls(firstLine)
    .replace(/^(title\s*:\s*)/i, '')
    .replace(/^["'“”‘’「」《》]+|["'“”‘’「」《》.。!！]+$/g, '')
    .trim();
  return title.length > MAX_GENERATED_TITLE_CHARS ? `${title.slice(0, MAX_GENERATED_TITLE_CHARS - 1).trimEnd()}…` : title;
}

function titleModel(served: readonly ModelInfo[]): ModelInfo | undefined {
  const candidates = autoCandidatesOf(served);
  return candidates.find((m) => m.thinking !== 'always') ?? candidates[0];
}

/** Sets and returns the title, unless the user renamed the conversation meanwhile. */
export async function generateTitle(userId: string, turn: PreparedTurn): Promise<string | null> {
  const question = turn.messages.findLast((m) => m.role === 'user');
  // A question with images is a list of parts: its words are the text parts.
  const questionText =
    typeof question?.content === 'string'
      ? question.content
      : (question?.content ?? []).flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  const prompt = `User: ${questionText.slice(0, CLIP_CHARS)}`;
  const call: UpstreamCall = { startedAt: performance.now(), ttftMs: null, requestId: null, usage: undefined, error: undefined };
  const model = titleModel(await servedModels()) ?? turn.servedModel;
  const settings = callSettings(
    model,
    { temperature: null, thinking: false, reasoningEffort: 'low' },
    model.thinking === 'always' ? TITLE_REASONING_MAX_TOKENS : TITLE_MAX_TOKENS,
  );
  let text = '';
  try {
    const answer = await completeUpstream({
      modelId: model.id,
      system: TITLE_SYSTEM,
      messages: [{ role: 'user', content: prompt }],
      settings,
      signal: AbortSignal.timeout(15_000),
      maxRetries: 1,
    });
    text = answer.text;
    call.usage = answer.usage;
    call.requestId = answer.requestId;
  } catch (error) {
    call.error = error;
  }
  // Without a model's title, the question itself makes a fine one.
  const title = cleanTitle(text) || cleanTitle(questionText);
  const row = await usageRow({
    userId,
    conversationId: turn.conversationId,
    messageId: null,
    purpose: 'title',
    requestedModel: model.id,
    servedModel: model.id,
    prompt: [
      { role: 'system', content: TITLE_SYSTEM },
      { role: 'user', content: prompt },
    ],
    text,
    reasoning: '',
    call,
    outcome: call.error ? 'error' : 'ok',
    errorType: call.error ? toAppError(call.error, { streamed: false }).code : null,
  });
  // One statement, like the answer's save: a transaction held open across round trips would keep the
  // day's shared rollup row locked while every other new conversation's title waits for it.
  let updated: number;
  try {
    updated = await commitStatementWithUsage(
      [],
      Prisma.sql`UPDATE "Conversation" SET title = ${title}, "updatedAt" = now() WHERE id = ${turn.conversationId}::uuid AND title = ''`,
      [row],
    );
  } catch (error) {
    // The conversation went away under the call (deleted mid-answer): the call still counts, unlinked.
    await recordUsage({ ...row, conversationId: null });
    throw error;
  }
  return updated === 1 ? title : null;
}

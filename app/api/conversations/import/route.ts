import { apiUser } from '@/lib/auth/session';
import { importConversation } from '@/lib/chat/transfer';
import { conversationExportSchema, MAX_IMPORT_BYTES } from '@/lib/chat/transfer-format';
import { errorJson, readBodyWithin } from '@/lib/http';

export const dynamic = 'force-dynamic';

/**
 * POST /api/conversations/import: an export file (JSON, version 1, at most 10 MB) becomes a new conversation
 * of the signed-in user, with new ids. Answers 201 with its ConversationSummary.
 */
export async function POST(req: Request): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const text = await readBodyWithin(req, MAX_IMPORT_BYTES);
  if (typeof text !== 'string') return text;
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch {
    return errorJson(400, { code: 'import_invalid', detail: 'not JSON', retryable: false });
  }
  const parsed = conversationExportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = issue ? `${issue.path.map(String).join('.') || 'file'}: ${issue.message}` : 'invalid file';
    return errorJson(400, { code: 'import_invalid', detail, retryable: false });
  }
  return Response.json(await importConversation(user.id, parsed.data), { status: 201 });
}

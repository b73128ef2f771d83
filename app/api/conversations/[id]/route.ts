import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { deleteConversation, getConversationDetail, MAX_TITLE_CHARS, renameConversation, updateConversationSettings } from '@/lib/chat/conversations';
import { setArchived, setPinned } from '@/lib/chat/organize';
import { settingsError } from '@/lib/chat/prepare-turn';
import { conversationSettingsSchema } from '@/lib/chat/types';
import { errorJson, notFound, readJson } from '@/lib/http';
import { stripBidiControls } from '@/lib/security/unicode';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

export async function GET(req: Request, { params }: Context): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const detail = await getConversationDetail(user.id, (await params).id);
  return detail ? Response.json(detail, { headers: { 'cache-control': 'no-store' } }) : notFound();
}

const patchSchema = z
  .object({
    // Without direction controls, which would show the title in another order than it is stored.
    title: z.string().transform(stripBidiControls).pipe(z.string().trim().min(1).max(MAX_TITLE_CHARS)).optional(),
    settings: conversationSettingsSchema.optional(),
    pinned: z.boolean().optional(),
    archived: z.boolean().optional(),
  })
  .refine((b) => b.title !== undefined || b.settings !== undefined || b.pinned !== undefined || b.archived !== undefined, 'nothing to change');

export async function PATCH(req: Request, { params }: Context): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  const body = await readJson(req, patchSchema);
  if (body instanceof Response) return body;
  if (body.settings) {
    const invalid = await settingsError(body.settings);
    if (invalid) return errorJson(400, invalid);
    if (!(await updateConversationSettings(user.id, id, body.settings))) return notFound();
  }
  if (body.title !== undefined && !(await renameConversation(user.id, id, body.title))) return notFound();
  if (body.archived !== undefined && !(await setArchived(user.id, id, body.archived))) return notFound();
  if (body.pinned !== undefined && !(await setPinned(user.id, id, body.pinned))) return notFound();
  return new Response(null, { status: 204 });
}

export async function DELETE(req: Request, { params }: Context): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  return (await deleteConversation(user.id, (await params).id)) ? new Response(null, { status: 204 }) : notFound();
}

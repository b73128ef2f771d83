// POST /api/documents?conversationId=<uuid> — the file is the raw request body (streamed to disk, never
// buffered by a multipart parser), its name in the `x-file-name` header (URI-encoded).
import { z } from 'zod';
import { apiUser } from '@/lib/auth/session';
import { uploadDocument } from '@/lib/documents/service';
import { badRequest, errorJson } from '@/lib/http';
import { stripBidiControls } from '@/lib/security/unicode';

export const dynamic = 'force-dynamic';

const querySchema = z.object({ conversationId: z.uuid() });
const nameSchema = z
  .string()
  .transform((raw) => {
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  })
  // A name, not a path; control characters would garble the system message header, and direction
  // controls would show it as another name than it is.
  .transform((name) => stripBidiControls(name.replace(/^.*[\\/]/, '').replace(/[\u0000-\u001f\u007f]/g, '')).trim())
  .pipe(z.string().min(1).max(255));

export async function POST(req: Request): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const query = querySchema.safeParse({ conversationId: new URL(req.url).searchParams.get('conversationId') });
  if (!query.success) return badRequest('conversationId: a UUID is required');
  const name = nameSchema.safeParse(req.headers.get('x-file-name') ?? '');
  if (!name.success) return badRequest('x-file-name: a file name is required');
  const length = req.headers.get('content-length');
  const result = await uploadDocument({
    userId: user.id,
    conversationId: query.data.conversationId,
    name: name.data,
    body: req.body,
    ...(length && /^\d+$/.test(length) ? { declaredBytes: Number(length) } : {}),
  });
  if (!result.ok) return errorJson(result.status, result.error);
  return Response.json(result.value, { status: 201, headers: { 'cache-control': 'no-store' } });
}

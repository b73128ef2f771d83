// POST /api/images — an image for the next message: the raw request body (streamed to disk, never buffered
// by a multipart parser). PNG, JPEG, WebP or GIF by content, at most 20 MB. Answers its id and size.
import { apiUser } from '@/lib/auth/session';
import { uploadImage } from '@/lib/documents/images';
import { errorJson } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const length = req.headers.get('content-length');
  const result = await uploadImage(user.id, req.body, length && /^\d+$/.test(length) ? Number(length) : undefined);
  if (!result.ok) return errorJson(result.status, result.error);
  return Response.json(result.value, { status: 201, headers: { 'cache-control': 'no-store' } });
}

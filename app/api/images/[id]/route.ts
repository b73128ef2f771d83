// GET /api/images/:id — the image's bytes as uploaded (never the scaled copy sent to Kimi), only to its owner (anyone else, and unknown ids: 404).
import { apiUser } from '@/lib/auth/session';
import { readOwnOriginal } from '@/lib/documents/images';
import { errorJson } from '@/lib/http';
import { IMAGE_MEDIA_TYPES } from '@/lib/kimi/images';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(req);
  if (user instanceof Response) return user;
  const { id } = await params;
  const image = await readOwnOriginal(user.id, id);
  if (!image) return errorJson(404, { code: 'not_found', retryable: false });
  return new Response(new Uint8Array(image.data), {
    headers: {
      'content-type': IMAGE_MEDIA_TYPES[image.format],
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
    },
  });
}

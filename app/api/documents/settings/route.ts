// GET/PUT /api/documents/settings — admins choose the extractor: local, or Kimi's file API.
import { z } from 'zod';
import { apiAdmin } from '@/lib/auth/session';
import { readJson } from '@/lib/chat/http';
import { extractorSchema, getExtractor, setExtractor } from '@/lib/documents/extractor-setting';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  return Response.json({ extractor: await getExtractor() }, { headers: { 'cache-control': 'no-store' } });
}

export async function PUT(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const body = await readJson(req, z.object({ extractor: extractorSchema }));
  if (body instanceof Response) return body;
  await setExtractor(body.extractor);
  return Response.json({ extractor: body.extractor });
}

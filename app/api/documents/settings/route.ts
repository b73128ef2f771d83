// GET/PUT /api/documents/settings — admins choose the extractor: local, or Kimi's file API. POST takes the
// admin page's plain form (answered with a redirect back) or JSON.
import { z } from 'zod';
import { apiAdmin } from '@/lib/auth/session';
import { extractorSchema, getExtractor, setExtractor } from '@/lib/documents/extractor-setting';
import { adminDone, adminInvalid, readAdminInput, readJson } from '@/lib/http';

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
  await setExtractor(body.extractor, admin);
  return Response.json({ extractor: body.extractor });
}

export async function POST(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const input = await readAdminInput(req, z.object({ extractor: extractorSchema }));
  if (!input.data) return adminInvalid(req, input);
  await setExtractor(input.data.extractor, admin);
  return adminDone(req, input, { extractor: input.data.extractor });
}

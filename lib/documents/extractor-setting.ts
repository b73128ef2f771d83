// Which extractor runs: `local` (this server) or `kimi` (Kimi's file-extract API). An admin setting kept
// in the Setting table, cached briefly so uploads do not read it every time.
import 'server-only';
import { z } from 'zod';
import { db } from '@/lib/db';

export const EXTRACTOR_SETTING_KEY = 'documents.extractor';
export const extractorSchema = z.enum(['local', 'kimi']);
export type ExtractorKind = z.infer<typeof extractorSchema>;

const TTL_MS = 10_000;
let cached: { value: ExtractorKind; at: number } | undefined;

export async function getExtractor(): Promise<ExtractorKind> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const row = await (await db()).setting.findUnique({ where: { key: EXTRACTOR_SETTING_KEY } });
  const parsed = extractorSchema.safeParse(row?.value);
  cached = { value: parsed.success ? parsed.data : 'local', at: Date.now() };
  return cached.value;
}

export async function setExtractor(value: ExtractorKind): Promise<void> {
  await (await db()).setting.upsert({ where: { key: EXTRACTOR_SETTING_KEY }, create: { key: EXTRACTOR_SETTING_KEY, value }, update: { value } });
  cached = { value, at: Date.now() };
}

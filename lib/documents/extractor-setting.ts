// Which extractor runs: `local` (this server) or `kimi` (Kimi's file-extract API). An admin setting kept
// in the Setting table, cached briefly so uploads do not read it every time.
import 'server-only';
import { z } from 'zod';
import { db } from '@/lib/db';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import { processSingleton } from '@/lib/singleton';

export const EXTRACTOR_SETTING_KEY = 'documents.extractor';
export const extractorSchema = z.enum(['local', 'kimi']);
export type ExtractorKind = z.infer<typeof extractorSchema>;

const TTL_MS = 10_000;
// One per process: the admin's change (the settings route's copy) must reach the upload route's copy.
const state = processSingleton('documents.extractorCache', (): { cached?: { value: ExtractorKind; at: number } } => ({}));

export async function getExtractor(): Promise<ExtractorKind> {
  if (state.cached && Date.now() - state.cached.at < TTL_MS) return state.cached.value;
  const row = await (await db()).setting.findUnique({ where: { key: EXTRACTOR_SETTING_KEY } });
  const parsed = extractorSchema.safeParse(row?.value);
  state.cached = { value: parsed.success ? parsed.data : 'local', at: Date.now() };
  return state.cached.value;
}

/** Sets the extractor; with `actor` (an admin's change) its audit row is written in the same transaction. */
export async function setExtractor(value: ExtractorKind, actor?: AuditActor): Promise<void> {
  await (await db()).$transaction(async (tx) => {
    const before = await tx.setting.findUnique({ where: { key: EXTRACTOR_SETTING_KEY } });
    await tx.setting.upsert({ where: { key: EXTRACTOR_SETTING_KEY }, create: { key: EXTRACTOR_SETTING_KEY, value }, update: { value } });
    if (actor)
      await writeAudit(tx, actor, {
        kind: 'setting.extractor',
        target: `setting:${EXTRACTOR_SETTING_KEY}`,
        before: before?.value ?? 'local',
        after: value,
      });
  });
  state.cached = { value, at: Date.now() };
}

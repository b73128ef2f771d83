// Where a user's defaults live: one UserPreference row per user, written only for the session's user.
import 'server-only';
import { db } from '@/lib/db';
import { DEFAULT_PREFERENCES, isTheme, type Preferences } from './schema';

/** The user's defaults; the built-in ones until they save any. */
export async function readPreferences(userId: string): Promise<Preferences> {
  const row = await (await db()).userPreference.findUnique({
    where: { userId },
    select: { customInstructions: true, defaultModel: true, theme: true },
  });
  if (!row) return DEFAULT_PREFERENCES;
  return { customInstructions: row.customInstructions, defaultModel: row.defaultModel, theme: isTheme(row.theme) ? row.theme : 'system' };
}

export async function savePreferences(userId: string, preferences: Preferences): Promise<void> {
  await (await db()).userPreference.upsert({ where: { userId }, create: { userId, ...preferences }, update: preferences });
}

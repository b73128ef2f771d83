'use server';
import { cookies } from 'next/headers';
import { requireUser } from '@/lib/auth/session';
import { modelCatalogView } from '@/lib/chat/models';
import { CUSTOM_INSTRUCTIONS_MAX_CHARS, preferencesSchema, THEME_COOKIE } from '@/lib/preferences/schema';
import { savePreferences } from '@/lib/preferences/store';
import type { PreferencesFormState } from './preferences-state';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The account page's defaults. The user comes from the session (never the form); the default model must be
 * one the endpoint serves now (or Auto). The theme is also kept in a cookie, for the pages that are shown
 * without a session (sign-in after a sign-out).
 */
export async function savePreferencesAction(_previous: PreferencesFormState, form: FormData): Promise<PreferencesFormState> {
  const user = await requireUser('/account');
  const parsed = preferencesSchema.safeParse({
    customInstructions: form.get('customInstructions'),
    defaultModel: form.get('defaultModel'),
    theme: form.get('theme'),
  });
  if (!parsed.success) {
    const raw = form.get('customInstructions');
    const count = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim().length : 0;
    return count > CUSTOM_INSTRUCTIONS_MAX_CHARS ? { status: 'error', error: 'instructions_too_long', count } : { status: 'error', error: 'invalid' };
  }
  const preferences = parsed.data;
  if (preferences.defaultModel !== null) {
    const { models } = await modelCatalogView();
    if (!models.some((m) => m.id === preferences.defaultModel)) return { status: 'error', error: 'model_not_served' };
  }
  await savePreferences(user.id, preferences);
  (await cookies()).set(THEME_COOKIE, preferences.theme, { path: '/', maxAge: YEAR_SECONDS, sameSite: 'lax', httpOnly: true });
  return { status: 'success', theme: preferences.theme };
}

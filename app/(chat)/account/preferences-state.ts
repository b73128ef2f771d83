import type { preferences } from '@/lib/i18n/messages/en/preferences';
import type { Theme } from '@/lib/preferences/schema';

export type PreferencesErrorCode = keyof typeof preferences.errors;

/** What the defaults action hands back to its form. */
export type PreferencesFormState =
  | { status: 'idle' }
  | { status: 'success'; theme: Theme }
  | { status: 'error'; error: PreferencesErrorCode; count?: number };

// The theme of the page being rendered, decided on the server so the first paint is right (no flash): the
// signed-in user's stored choice, else the cookie the account page sets (sign-in and sign-up pages after a
// sign-out), else the device's setting.
import 'server-only';
import { cookies } from 'next/headers';
import { getCurrentUser } from '@/lib/auth/session';
import { isTheme, THEME_COOKIE, type Theme } from './schema';
import { readPreferences } from './store';

export async function requestTheme(): Promise<Theme> {
  try {
    const user = await getCurrentUser();
    if (user && !user.pending) return (await readPreferences(user.id)).theme;
  } catch {
    // No database yet (or a broken token): the cookie still knows.
  }
  const cookie = (await cookies()).get(THEME_COOKIE)?.value;
  return isTheme(cookie) ? cookie : 'system';
}

/** The class <html> carries: none for `system`, where CSS follows prefers-color-scheme. */
export const themeClass = (theme: Theme): string | undefined => (theme === 'system' ? undefined : theme);

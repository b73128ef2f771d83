// A user's own defaults as the browser and the server share them: the zod schema the account page's action
// validates with, and the limits its form shows. No server code: safe in client components.
import { z } from 'zod';

/** Custom instructions ride on every turn (and count against the window): kept well under a page. */
export const CUSTOM_INSTRUCTIONS_MAX_CHARS = 4_000;

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const themeSchema = z.enum(THEMES);

/** The cookie that carries the theme to pages rendered before (or without) a session: sign-in, sign-up. */
export const THEME_COOKIE = 'theme';

export const preferencesSchema = z.object({
  // Line breaks normalised, surrounding blanks dropped (an all-blank text is no instructions).
  customInstructions: z
    .string()
    .transform((s) => s.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(CUSTOM_INSTRUCTIONS_MAX_CHARS)),
  /** '' = the instance default. */
  defaultModel: z
    .string()
    .trim()
    .max(100)
    .transform((s) => (s === '' ? null : s)),
  theme: themeSchema,
});
export type PreferencesInput = z.input<typeof preferencesSchema>;

export interface Preferences {
  customInstructions: string;
  /** `auto` or a model id; null = the instance default. */
  defaultModel: string | null;
  theme: Theme;
}

export const DEFAULT_PREFERENCES: Preferences = { customInstructions: '', defaultModel: null, theme: 'system' };

export const isTheme = (value: unknown): value is Theme => typeof value === 'string' && (THEMES as readonly string[]).includes(value);

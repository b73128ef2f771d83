// What a sign-in or sign-up form may contain. Shared by the server actions and the credentials provider.
import { z } from 'zod';
import { NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './limits';

/** Emails are compared trimmed and lower-cased, so "A@x.io " and "a@x.io" are one account. */
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254));

/** The rules for a password being set (sign-up, password change). */
export const newPasswordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

// Sign-in accepts any non-empty password up to the cap: the rules may tighten after an account was made.
export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const signUpSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: z
    .string()
    .trim()
    .max(NAME_MAX_LENGTH)
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type SignUpInput = z.input<typeof signUpSchema>;

/** NFKC, as lib/auth/password.ts hashes: two spellings that hash alike are the same password. */
function samePassword(a: string, b: string): boolean {
  return a.normalize('NFKC') === b.normalize('NFKC');
}

/**
 * The account page's password change: the current password (checked like sign-in), the new one under the
 * sign-up rules, typed twice, and different from the current one. Issues come in that order (first wins).
 */
export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .superRefine(({ currentPassword, newPassword, confirmPassword }, ctx) => {
    if (newPassword !== confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'mismatch' });
    else if (samePassword(newPassword, currentPassword)) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'unchanged' });
  });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

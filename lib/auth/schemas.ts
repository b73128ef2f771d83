// What a sign-in or sign-up form may contain. Shared by the server actions and the credentials provider.
import { z } from 'zod';
import { NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './limits';

/** Emails are compared trimmed and lower-cased, so "A@x.io " and "a@x.io" are one account. */
const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254));

const newPasswordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

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

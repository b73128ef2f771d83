import { type ClassValue, clsx } from 'clsx';

/**
 * Joins class names (strings, arrays, `{ class: condition }`), skipping falsy ones. Nothing is merged: shared
 * components keep their own styles in the CSS components layer, below the utilities, so a caller's utility class
 * wins there by the cascade (a class merger cost the chat page 15–25 ms of its hydration to set itself up).
 */
export function cn(...inputs: ClassValue[]): string {
  return clsx(inputs);
}

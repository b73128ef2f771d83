// A document error in the user's language: the documents catalog first, then the chat's.
import type { AppError } from '@/lib/errors';
import { type Catalog, hasMessage, type Translate } from '@/lib/i18n';

export function documentErrorText(messages: Catalog, t: Translate, error: AppError): string {
  if (error.detail === 'network') return t('documents.errors.network');
  for (const key of [`documents.errors.${error.code}`, `errors.${error.code}`]) {
    if (hasMessage(messages, key)) return t(key, error.params);
  }
  return t('documents.errors.unknown');
}

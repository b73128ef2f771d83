// How a document reaches the model: one system message per document (Moonshot's recommended shape).
// The stored token count covers the message with an empty name, so one extraction serves every upload
// of the same bytes under any name; the name's few tokens are added per document.
import { countTokens, REPLY_PRIMING_TOKENS } from '../kimi/tokenizer';

export function documentSystemMessage(name: string, text: string): string {
  return `Document: ${name}\n\n${text}`;
}

/** The message to count once per extraction (name-independent). */
export const countedDocumentMessage = (text: string) => ({ role: 'system', content: documentSystemMessage('', text) });

/** Tokens of one document's system message inside a prompt: stored count without the reply priming, plus the name. */
export function documentTokens(storedTokens: number, name: string): number {
  return Math.max(0, storedTokens - REPLY_PRIMING_TOKENS) + countTokens(name);
}

// Text helpers measured with THE tokenizer, so streamed text and reported usage always agree.
import { countTokens } from '../lib/kimi/tokenizer';

/** Cut to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Longest prefix costing at most `max` tokens (prefix cost never decreases, so binary search works). */
export function truncateToTokens(text: string, max: number): string {
  if (countTokens(text) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (countTokens(text.slice(0, mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  return truncateChars(text, lo);
}

// Words of at most 4 letters cost exactly one token each, and single spaces are free.
const WORDS = [
  'sed',
  'do',
  'ut',
  'enim',
  'ad',
  'quis',
  'nisi',
  'ex',
  'ea',
  'duis',
  'aute',
  'in',
  'esse',
  'cum',
  'sint',
  'qui',
  'id',
  'est',
  'nam',
  'vero',
  'eos',
  'et',
  'quo',
  'amet',
];

/** Deterministic lorem-style text of exactly `tokens` tokens. */
export function lorem(tokens: number): string {
  const parts = new Array<string>(tokens);
  for (let i = 0; i < tokens; i++) parts[i] = WORDS[i % WORDS.length] as string;
  return parts.join(' ');
}

// One piece ≈ one token: leading spaces plus a 1–4 char word run or a single other character.
const PIECE = /\s*(?:[A-Za-z0-9_]{1,4}|\S)|\s+$/gu;

/** Split text into streaming chunks of about `tokensPerChunk` tokens each; concatenation is the text. */
export function chunkText(text: string, tokensPerChunk: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let n = 0;
  for (const match of text.matchAll(PIECE)) {
    current += match[0];
    if (++n === tokensPerChunk) {
      chunks.push(current);
      current = '';
      n = 0;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

// Message search, the parts that need no database: the user's query as terms, and the snippet shown for a
// hit. Browser-safe (pure). The SQL side (lib/chat/search.ts) lets PostgreSQL's parser split each term.

const MAX_TERMS = 8;
export const MAX_QUERY_CHARS = 200;

/** The query's whitespace-separated terms (at most 8, duplicates dropped). */
export function searchTerms(query: string): string[] {
  const terms = query
    .normalize('NFKC')
    .split(/[\s\u3000]+/u)
    .map((t) => t.trim())
    .filter((t) => /[\p{L}\p{N}]/u.test(t));
  return [...new Set(terms)].slice(0, MAX_TERMS);
}

export interface SnippetPart {
  text: string;
  /** This part matched a term (shown highlighted). */
  hit: boolean;
}

const SNIPPET_CHARS = 160;

/** What can be found in the text for a term: its letters and digits, in order (punctuation in the query is not searched). */
function needles(terms: readonly string[]): string[] {
  const out = new Set<string>();
  for (const term of terms) {
    for (const word of term.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) out.add(word);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * About 160 characters of `body` around the first place a term occurs, the occurrences marked. Plain text
 * parts: the browser renders them as text, so message text can never become markup.
 */
export function snippet(body: string, terms: readonly string[]): SnippetPart[] {
  const flat = body.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const words = needles(terms);
  const first = Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0), Number.POSITIVE_INFINITY);
  const center = Number.isFinite(first) ? first : 0;
  const start = Math.max(0, Math.min(center - 60, flat.length - SNIPPET_CHARS));
  const end = Math.min(flat.length, start + SNIPPET_CHARS);
  const window = flat.slice(start, end);
  const windowLower = lower.slice(start, end);

  const parts: SnippetPart[] = [];
  let at = 0;
  let plain = start > 0 ? '…' : '';
  while (at < window.length) {
    const match = words.find((w) => windowLower.startsWith(w, at));
    if (match) {
      if (plain) parts.push({ text: plain, hit: false });
      plain = '';
      parts.push({ text: window.slice(at, at + match.length), hit: true });
      at += match.length;
    } else {
      plain += window[at];
      at += 1;
    }
  }
  if (end < flat.length) plain += '…';
  if (plain) parts.push({ text: plain, hit: false });
  return parts;
}

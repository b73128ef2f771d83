// One local token estimator, shared by the simulator (usage and the estimate endpoint) and the app
// (context meter when no key is set). It approximates Kimi's BPE tokenizer, which is not public:
// - a run of ASCII letters/digits costs ceil(length / 4) tokens (English averages ~4 chars a token);
// - each CJK ideograph, kana or hangul syllable costs 0.6 of a token (Kimi packs Chinese densely),
//   rounded up per run;
// - each other non-space character (punctuation, symbols, emoji) costs one token;
// - whitespace is free, except that a run of 4+ spaces/newlines costs one token.
// Each chat message adds 4 tokens of framing and a conversation adds 3 to prime the reply.
// It is deterministic and linear in the text's length (one pass over char codes, no allocations).

enum Kind {
  Space,
  Word,
  Cjk,
  Other,
}

function kindOf(code: number): Kind {
  if (code === 32 || code === 10 || code === 9 || code === 13) return Kind.Space;
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95) return Kind.Word;
  if (
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0x3400 && code <= 0x4dbf) || // extension A
    (code >= 0x3040 && code <= 0x30ff) || // hiragana, katakana
    (code >= 0xac00 && code <= 0xd7af) || // hangul
    (code >= 0xf900 && code <= 0xfaff) // compatibility ideographs
  ) {
    return Kind.Cjk;
  }
  return Kind.Other;
}

export function countTokens(text: string): number {
  let tokens = 0;
  let run = 0;
  let runKind = Kind.Space;
  const flush = () => {
    if (run === 0) return;
    if (runKind === Kind.Word) tokens += Math.ceil(run / 4);
    else if (runKind === Kind.Cjk) tokens += Math.ceil(run * 0.6);
    else if (runKind === Kind.Space && run >= 4) tokens += 1;
    run = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff) continue; // low surrogate: its high half was counted
    const kind = kindOf(code);
    if (kind === Kind.Other) {
      flush();
      runKind = Kind.Space;
      tokens += 1;
      continue;
    }
    if (kind !== runKind) {
      flush();
      runKind = kind;
    }
    run++;
  }
  flush();
  return tokens;
}

export const MESSAGE_OVERHEAD_TOKENS = 4;
export const REPLY_PRIMING_TOKENS = 3;

export interface CountableMessage {
  role: string;
  content: string | null | Array<{ type: string; text?: string }>;
}

export function contentText(content: CountableMessage['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

export function countMessageTokens(messages: readonly CountableMessage[]): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const message of messages) total += MESSAGE_OVERHEAD_TOKENS + countTokens(contentText(message.content));
  return total;
}

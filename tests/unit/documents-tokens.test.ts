// The turn counts documents from their stored counts (one count per extraction, whatever the name):
// that must equal counting the messages actually sent.
import { describe, expect, it } from 'vitest';
import { countPrompt, documentMessages } from '@/lib/chat/prepare-turn';
import { countedDocumentMessage } from '@/lib/documents/message';
import { countMessageTokens } from '@/lib/kimi/tokenizer';

const stored = (text: string) => countMessageTokens([countedDocumentMessage(text)]);

describe('document tokens in a prompt', () => {
  it('equal the count of the system prompt, document messages and history actually sent', () => {
    const texts = ['[Page 1]\nQuarterly figures: 12,400 units.\n\n[Page 2]\n季度报告 第二页', 'plain   text\n\n\n\nwith    gaps'];
    const documents = [
      { name: 'report 2026.pdf', content: { text: texts[0]!, tokens: stored(texts[0]!) } },
      { name: 'notes.md', content: { text: texts[1]!, tokens: stored(texts[1]!) } },
    ];
    const history = [
      { role: 'user' as const, content: 'What were the figures?' },
      { role: 'assistant' as const, content: '12,400 units.' },
      { role: 'user' as const, content: 'And on page 2?' },
    ];
    const system = 'Answer briefly.';
    const sent = [{ role: 'system', content: system }, ...documentMessages(documents), ...history] as Array<{ role: string; content: string }>;
    const counted = countPrompt(system, documents, history);
    expect(counted.total).toBe(countMessageTokens(sent));
    expect(counted.documents).toBeGreaterThan(0);
    expect(counted.system + counted.documents + counted.history).toBe(counted.total);
  });

  it('puts each document in its own system message, named, in upload order', () => {
    const messages = documentMessages([
      { name: 'a.txt', content: { text: 'first', tokens: 1 } },
      { name: 'b.txt', content: { text: 'second', tokens: 1 } },
    ]);
    expect(messages).toEqual([
      { role: 'system', content: 'Document: a.txt\n\nfirst' },
      { role: 'system', content: 'Document: b.txt\n\nsecond' },
    ]);
  });
});

// Find, keep, share: the pure parts — query terms, snippets (plain-text parts, marked matches), the sidebar's
// date groups in the reader's time zone, and the export format's current path and Markdown.
import { describe, expect, it } from 'vitest';
import { dateGroupOf } from '@/components/sidebar/date-groups';
import { searchTerms, snippet } from '@/lib/chat/search-query';
import { conversationExportSchema, currentPath, toMarkdown } from '@/lib/chat/transfer-format';

describe('search query and snippet', () => {
  it('splits terms on any whitespace, drops punctuation-only terms and duplicates', () => {
    expect(searchTerms('  deploy\u3000西湖  deploy ,, "x" ')).toEqual(['deploy', '西湖', '"x"']);
    expect(searchTerms('   ')).toEqual([]);
  });

  it('marks every occurrence of every term and keeps message text as plain text', () => {
    const parts = snippet('<script>alert(1)</script> The West Lake, west of here', ['west']);
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(['West', 'west']);
    expect(parts.map((p) => p.text).join('')).toBe('<script>alert(1)</script> The West Lake, west of here');
  });

  it('centres long text on the first match, with ellipses', () => {
    const body = `${'a '.repeat(200)}杭州西湖${' b'.repeat(200)}`;
    const parts = snippet(body, ['西湖']);
    const text = parts.map((p) => p.text).join('');
    expect(text.startsWith('…')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(parts.find((p) => p.hit)?.text).toBe('西湖');
  });
});

describe('date groups', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it('counts calendar days in the reader\u2019s time zone', () => {
    expect(dateGroupOf('2026-12-01T01:00:00Z', now, 'UTC')).toBe('today');
    // 23:30 UTC on Nov 30 is already Dec 1 in Shanghai, but Nov 30 in New York.
    expect(dateGroupOf('2026-11-30T23:30:00Z', now, 'Asia/Shanghai')).toBe('today');
    expect(dateGroupOf('2026-11-30T23:30:00Z', now, 'America/New_York')).toBe('yesterday');
    expect(dateGroupOf('2026-11-25T12:00:00Z', now, 'UTC')).toBe('previous7');
    expect(dateGroupOf('2026-11-20T12:00:00Z', now, 'UTC')).toBe('older');
  });
});

describe('export format', () => {
  const at = '2026-12-01T10:00:00.000Z';
  const file = conversationExportSchema.parse({
    format: 'kimi-chat.conversation',
    version: 1,
    exportedAt: at,
    conversation: { title: 'Tree', model: 'kimi-k2.6', createdAt: at },
    messages: [
      { id: 'q', parentId: null, role: 'user', createdAt: at, parts: [{ type: 'text', text: 'question' }] },
      { id: 'a1', parentId: 'q', role: 'assistant', createdAt: at, parts: [{ type: 'text', text: 'first answer' }] },
      {
        id: 'a2',
        parentId: 'q',
        role: 'assistant',
        createdAt: at,
        model: 'kimi-k3',
        parts: [
          { type: 'reasoning', text: 'hmm' },
          { type: 'text', text: 'second **answer**' },
        ],
        imagesOmitted: 1,
      },
    ],
  });

  it('the current path is the branch ending at the last message', () => {
    expect(currentPath(file.messages).map((m) => m.id)).toEqual(['q', 'a2']);
  });

  it('Markdown has the title, a heading per message, the answer as written, no reasoning', () => {
    const md = toMarkdown(file, { untitled: 'Untitled', you: 'You', assistant: 'Kimi', imagesOmitted: (n) => `${n} image(s) not included` });
    expect(md).toBe('# Tree\n\n## You\n\nquestion\n\n## Kimi (kimi-k3)\n\n_1 image(s) not included_\n\nsecond **answer**\n');
  });
});

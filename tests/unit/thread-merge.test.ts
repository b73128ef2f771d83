import { describe, expect, it } from 'vitest';
import { mergePage } from '@/lib/chat/thread-merge';
import type { ChatUIMessage, ThreadPage } from '@/lib/chat/types';

const message = (id: string): ChatUIMessage => ({ id, role: 'user', parts: [{ type: 'text', text: id }] });
const page = (olderCount: number, ...ids: string[]): ThreadPage => ({ olderCount, messages: ids.map(message) });
const ids = (p: ThreadPage) => [p.olderCount, ...p.messages.map((m) => m.id)];

describe('mergePage', () => {
  it('keeps the loaded older messages before a page that starts where they left off', () => {
    // Loaded 2..6; a switch at 5 answers 4..7 of the new branch (5 and 6 replaced by 5b, 6b, 7b).
    expect(ids(mergePage(page(2, 'm2', 'm3', 'm4', 'm5', 'm6'), page(4, 'm4', 'm5b', 'm6b', 'm7b')))).toEqual([
      2,
      'm2',
      'm3',
      'm4',
      'm5b',
      'm6b',
      'm7b',
    ]);
  });

  it('takes the new page as it is when it does not line up', () => {
    // The same first message at another place (the path changed above it), or not loaded, or the first one.
    expect(ids(mergePage(page(2, 'm2', 'm3', 'm4'), page(5, 'm4', 'm5')))).toEqual([5, 'm4', 'm5']);
    expect(ids(mergePage(page(2, 'm2', 'm3'), page(8, 'm8', 'm9')))).toEqual([8, 'm8', 'm9']);
    expect(ids(mergePage(page(2, 'm2', 'm3'), page(2, 'm2', 'x3')))).toEqual([2, 'm2', 'x3']);
    expect(ids(mergePage(page(0, 'm0'), page(0)))).toEqual([0]);
  });
});

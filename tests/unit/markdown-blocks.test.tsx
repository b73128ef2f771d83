import { describe, expect, it } from 'vitest';
import { splitBlocks } from '@/components/markdown/blocks';

describe('splitBlocks', () => {
  it('splits paragraphs on blank lines', () => {
    expect(splitBlocks('One\ntwo\n\nThree\n\n\nFour')).toEqual(['One\ntwo', 'Three', 'Four']);
  });

  it('keeps a fenced code block whole, blank lines included', () => {
    const src = 'Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter';
    expect(splitBlocks(src)).toEqual(['Intro', '```ts\nconst a = 1;\n\nconst b = 2;\n```', 'After']);
  });

  it('starts a new block at a fence even without a blank line', () => {
    expect(splitBlocks('Look:\n```\nx\n```\nDone')).toEqual(['Look:', '```\nx\n```', 'Done']);
  });

  it('keeps an unclosed fence (still streaming) as the last block', () => {
    expect(splitBlocks('Hi\n\n```py\nprint(1)\n\nprint(2)')).toEqual(['Hi', '```py\nprint(1)\n\nprint(2)']);
  });

  it('only closes a fence with the same character and at least the same length', () => {
    const src = '````\n```\ninner\n```\n````\n\nafter';
    expect(splitBlocks(src)).toEqual(['````\n```\ninner\n```\n````', 'after']);
  });

  it('keeps a loose list together', () => {
    const src = '- a\n\n- b\n\n  more b\n\n1. one\n\n2. two\n\nEnd';
    expect(splitBlocks(src)).toEqual(['- a\n\n- b\n\n  more b\n\n1. one\n\n2. two', 'End']);
  });

  it('handles CRLF and empty input', () => {
    expect(splitBlocks('a\r\n\r\nb')).toEqual(['a', 'b']);
    expect(splitBlocks('')).toEqual([]);
    expect(splitBlocks('\n\n')).toEqual([]);
  });

  it('loses no content', () => {
    const src = '# Title\n\nText with `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n\n~~~\nz\n~~~';
    expect(splitBlocks(src).join('\n\n')).toBe(src);
  });
});

import { describe, expect, it } from 'vitest';
import { buildReply } from '../../sim/reply';

const options = { thinking: false, json: false, toolNames: [], stop: [], budget: 100 };

describe('title rule', () => {
  it('answers a title request with the first six words of the question', () => {
    const reply = buildReply(
      [
        { role: 'system', content: 'You write conversation titles. Reply with a title of at most six words.' },
        { role: 'user', content: 'User: How do I bake sourdough bread at home today?' },
      ],
      options,
    );
    expect(reply.content).toBe('How do I bake sourdough bread');
  });

  it('leaves ordinary system prompts to the default rule', () => {
    const reply = buildReply(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'hello' },
      ],
      options,
    );
    expect(reply.content).toBe('You said: "hello". I received 2 messages and 14 characters of system context.');
  });

  it('leaves documents and system prompts that merely mention a title to the default rule', () => {
    const reply = buildReply(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'system', content: 'Document report.pdf: Title: Annual report. Every title is in bold.' },
        { role: 'user', content: 'hello' },
      ],
      options,
    );
    expect(reply.content).toMatch(/^You said: "hello"\. I received 3 messages/);
  });
});

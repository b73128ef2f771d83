// The gateway's tap on Kimi's bytes (lib/kimi/stream-tap.ts): whatever the chunk boundaries, usage is read
// once (the trailing chunk wins over the choice's), `$web_search` calls are counted, text is collected.
import { describe, expect, it } from 'vitest';
import { KimiStreamTap } from '@/lib/kimi/stream-tap';

const usage = { prompt_tokens: 90, completion_tokens: 50, total_tokens: 140, cached_tokens: 90 };
const events = [
  { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { reasoning_content: 'Let me think' }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { reasoning_content: '' }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { content: '你好, ' }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { content: 'world' }, finish_reason: null }] },
  { choices: [{ index: 0, delta: {}, finish_reason: 'stop', usage }] },
];
const sse = (list: unknown[]) => `${list.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`;

function feedInPieces(tap: KimiStreamTap, text: string, size: number): void {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) tap.feed(bytes.slice(i, i + size));
  tap.end();
}

describe('KimiStreamTap', () => {
  it('reads the choice usage, text and reasoning whatever the chunk boundaries (even inside a UTF-8 character)', () => {
    for (const size of [1, 3, 7, 64, 100_000]) {
      const tap = new KimiStreamTap(true);
      feedInPieces(tap, sse(events), size);
      expect({ usage: tap.usage, text: tap.text, reasoning: tap.reasoning, finish: tap.finishReason }).toEqual({
        usage,
        text: '你好, world',
        reasoning: 'Let me think',
        finish: 'stop',
      });
    }
  });

  it('counts usage once when K3 repeats it in a trailing chunk (the trailing one wins)', () => {
    const trailing = { ...usage, completion_tokens: 51 };
    const tap = new KimiStreamTap(true);
    feedInPieces(tap, sse([...events, { choices: [], usage: trailing }]), 13);
    expect(tap.usage).toEqual(trailing);
  });

  it('counts $web_search calls by their first delta, and reads an error event', () => {
    const tap = new KimiStreamTap(true);
    feedInPieces(
      tap,
      sse([
        {
          choices: [
            { index: 0, delta: { tool_calls: [{ index: 0, id: 'w', type: 'builtin_function', function: { name: '$web_search', arguments: '' } }] } },
          ],
        },
        { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"q":1}' } }] } }] },
        { error: { message: 'boom', type: 'server_error' } },
      ]),
      5,
    );
    expect({ searches: tap.webSearches, error: tap.error, usage: tap.usage }).toEqual({
      searches: 1,
      error: { message: 'boom', type: 'server_error' },
      usage: undefined,
    });
  });

  it('parses a whole (non-streamed) response once, at the end', () => {
    const tap = new KimiStreamTap(false);
    const body = {
      id: 'x',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi', reasoning_content: 'r' }, finish_reason: 'length' }],
      usage,
    };
    feedInPieces(tap, JSON.stringify(body), 4);
    expect({ usage: tap.usage, text: tap.text, reasoning: tap.reasoning, finish: tap.finishReason }).toEqual({
      usage,
      text: 'hi',
      reasoning: 'r',
      finish: 'length',
    });
  });

  it('a stream cut before any usage: the text is read from the kept lines in order, a parsed one among them', () => {
    const tap = new KimiStreamTap(true);
    expect(tap.answered).toBe(false);
    const cut = [
      events[0],
      events[1],
      // Text with a tool call: parsed as it passes, its text still in its place.
      { choices: [{ index: 0, delta: { content: 'A', tool_calls: [{ index: 0, function: { name: 'f', arguments: '' } }] }, finish_reason: null }] },
      events[3],
    ];
    const bytes = new TextEncoder().encode(cut.map((e) => `data: ${JSON.stringify(e)}\n\n`).join(''));
    tap.feed(bytes.slice(0, 150)); // the role line and part of the reasoning line: nothing answered yet
    expect(tap.answered).toBe(false);
    tap.feed(bytes.slice(150));
    expect(tap.answered).toBe(true);
    tap.end();
    expect({ usage: tap.usage, text: tap.text, reasoning: tap.reasoning }).toEqual({ usage: undefined, text: 'A你好, ', reasoning: 'Let me think' });
  });

  it('finds the lines worth parsing by their keys alone: spaced JSON, and text that names the keys', () => {
    // Text naming the keys (escaped inside a JSON string) is no reason to parse; a spaced finish is one.
    const text = { choices: [{ index: 0, delta: { content: 'see "usage", "error": and "finish_reason": "stop"' }, finish_reason: null }] };
    const spaced = 'data: {"choices": [{"index": 0, "delta": {}, "finish_reason": "length", "usage": {"prompt_tokens": 3}}]}\n\n';
    const stream = `${sse([events[3], text]).replace('data: [DONE]\n\n', '')}${spaced}data: [DONE]\n\n`;
    for (const size of [1, 5, 100_000]) {
      const tap = new KimiStreamTap(true);
      feedInPieces(tap, stream, size);
      expect({ usage: tap.usage, finish: tap.finishReason, error: tap.error, text: tap.text }).toEqual({
        usage: { prompt_tokens: 3 },
        finish: 'length',
        error: undefined,
        text: '你好, see "usage", "error": and "finish_reason": "stop"',
      });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS } from '@/lib/chat/limits';
import { readBodyWithin } from '@/lib/http';
import { conversationTooLong, MAX_CONVERSATION_MESSAGES, messageTooLong } from '@/lib/security/limits';

function streamed(chunks: string[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  return new Request('http://x/api/chat', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('request body size', () => {
  it('reads a body within the limit', async () => {
    expect(await readBodyWithin(new Request('http://x/', { method: 'POST', body: '{"a":1}' }), 100)).toBe('{"a":1}');
  });

  it('refuses a declared oversize body before reading it', async () => {
    const req = new Request('http://x/', { method: 'POST', body: 'x'.repeat(10), headers: { 'content-length': '5000' } });
    const res = (await readBodyWithin(req, 1024)) as Response;
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large', params: { maxKb: 1 }, retryable: false } });
    expect(req.bodyUsed).toBe(false);
  });

  it('counts an undeclared (chunked) body and stops at the limit', async () => {
    const res = await readBodyWithin(streamed(['a'.repeat(600), 'b'.repeat(600)]), 1024);
    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(413);
    expect(await readBodyWithin(streamed(['a'.repeat(500), 'b'.repeat(500)]), 1024)).toHaveLength(1000);
  });
});

describe('message and conversation length', () => {
  const body = (text: string) => ({
    id: crypto.randomUUID(),
    trigger: 'submit-message',
    message: { id: 'm', role: 'user', parts: [{ type: 'text', text }] },
  });

  it('names message_too_long with the limit, only when a part is over it', () => {
    expect(messageTooLong(body('x'.repeat(MAX_MESSAGE_CHARS)))).toBeNull();
    expect(messageTooLong(body('x'.repeat(MAX_MESSAGE_CHARS + 1)))).toEqual({
      code: 'message_too_long',
      params: { max: MAX_MESSAGE_CHARS },
      retryable: false,
    });
    expect(messageTooLong(null)).toBeNull();
    expect(messageTooLong({ message: { parts: 'nonsense' } })).toBeNull();
  });

  it('refuses the message that would pass the conversation limit', () => {
    expect(conversationTooLong(MAX_CONVERSATION_MESSAGES - 1)).toBeNull();
    expect(conversationTooLong(MAX_CONVERSATION_MESSAGES)).toMatchObject({
      code: 'conversation_too_long',
      params: { max: MAX_CONVERSATION_MESSAGES },
    });
  });
});

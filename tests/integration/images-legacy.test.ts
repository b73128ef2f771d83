// A model that takes no images (a legacy endpoint still serving moonshot-v1-8k) refuses an image turn before
// any upstream call, naming a model that reads images.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { SAMPLES } from '@/tests/support/images';

type Route = { POST?: (req: Request) => Promise<Response> };

let h: ChatHarness;
let alice: Who;
beforeAll(async () => {
  h = await openChatHarness('pglite', {}, { catalog: 'legacy' });
  alice = await h.signedIn('legacy-images@example.com');
});
afterAll(() => h?.close());

it('moonshot-v1-8k: an image turn is refused before any call, naming a vision model', async () => {
  const upload = (await import('@/app/api/images/route')) as Route;
  const res = await upload.POST!(
    new Request('http://127.0.0.1:3000/api/images', {
      method: 'POST',
      body: new Uint8Array(SAMPLES.jpeg(50, 50)),
      headers: { cookie: alice.cookie },
    }),
  );
  const { id: imageId } = (await res.json()) as { id: string };
  h.sim.clearRequests();
  const turn = await h.post(alice, {
    id: crypto.randomUUID(),
    trigger: 'submit-message',
    message: {
      id: crypto.randomUUID(),
      role: 'user',
      parts: [
        { type: 'text', text: 'look' },
        { type: 'file', mediaType: 'image/jpeg', url: `/api/images/${imageId}` },
      ],
    },
    settings: h.settings('moonshot-v1-8k'),
  });
  expect(turn.status).toBe(400);
  const { error } = (await turn.json()) as { error: { code: string; params: { model: string; suggested: string } } };
  expect(error.code).toBe('model_no_images');
  expect(error.params.model).toBe('moonshot-v1-8k');
  expect(error.params.suggested).toMatch(/vision|kimi/);
  expect(h.sim.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
});

// A model that takes no images (a legacy endpoint still serving moonshot-v1-8k) refuses an image turn before
// any upstream call, naming a model that reads images.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { SAMPLES } from '@/tests/support/images';

let h: ChatHarness;
let alice: Who;
beforeAll(async () => {
  h = await openChatHarness('pglite', {}, { catalog: 'legacy' });
  alice = await h.signedIn('legacy-images@example.com');
});
afterAll(() => h?.close());

it('moonshot-v1-8k: an image turn is refused before any call, naming a vision model', async () => {
  const imageId = await h.uploadImage(alice, SAMPLES.jpeg(50, 50));
  h.sim.clearRequests();
  const turn = await h.post(alice, {
    id: crypto.randomUUID(),
    trigger: 'submit-message',
    message: h.imageMessage('look', imageId, 'image/jpeg'),
    settings: h.settings('moonshot-v1-8k'),
  });
  expect(turn.status).toBe(400);
  const { error } = (await turn.json()) as { error: { code: string; params: { model: string; suggested: string } } };
  expect(error.code).toBe('model_no_images');
  expect(error.params.model).toBe('moonshot-v1-8k');
  expect(error.params.suggested).toMatch(/vision|kimi/);
  expect(h.sim.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
});

// The gateway's node:http call to Kimi (lib/kimi/upstream.ts) against the simulator over real HTTP:
// retries as lib/kimi/retrying-fetch.ts decides (a 429 after the wait Kimi names, a 5xx, a refused
// connection), a refusal Kimi's wait does not fit passed back whole, one kept-alive socket for calls in
// a row, and the caller's signal aborting an answer mid-stream (Kimi sees the request go away).
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readText, requestUpstream, type UpstreamAnswer } from '@/lib/kimi/upstream';
import { type Simulator, startSimulator } from '@/sim';
import { waitFor } from '@/tests/support/server-process';

const KEY = 'sk-upstream-test-0123456789';
const POLICY = { maxRetries: 2, maxWaitMs: 20_000 };

describe('the gateway’s upstream call on node:http', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ apiKeys: [KEY] });
  });
  afterAll(() => sim?.close());

  const chatCalls = () => sim.requests().filter((r) => r.path === '/v1/chat/completions');
  const ask = (content: string, signal = new AbortController().signal, stream = false, url = `${sim.url}/chat/completions`) =>
    requestUpstream(
      {
        url,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, stream, messages: [{ role: 'user', content }] }),
        signal,
      },
      POLICY,
    );

  it('answers, and calls in a row share one kept-alive socket', async () => {
    const first = (await ask('hello')) as UpstreamAnswer;
    expect(first).toMatchObject({ ok: true, status: 200 });
    const socket = first.body.socket;
    expect(JSON.parse(await readText(first.body)).choices[0].message.content).toEqual(expect.any(String));
    const second = (await ask('again')) as UpstreamAnswer;
    expect(second.body.socket).toBe(socket);
    await readText(second.body);
  });

  it('retries a 429 after the wait Kimi names, and a 500; a wait that does not fit passes the refusal back whole', async () => {
    sim.clearRequests();
    sim.queueFaults('rate_limit:1', 1);
    const startedAt = performance.now();
    const after429 = await ask('retried');
    expect(after429).toMatchObject({ ok: true, status: 200 });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(1000);
    await readText((after429 as UpstreamAnswer).body);
    expect(chatCalls().map((r) => r.status)).toEqual([429, 200]);

    sim.clearRequests();
    sim.queueFaults('server_error', 1);
    const after500 = (await ask('retried')) as UpstreamAnswer;
    expect(after500.status).toBe(200);
    await readText(after500.body);
    expect(chatCalls().map((r) => r.status)).toEqual([500, 200]);

    sim.clearRequests();
    sim.queueFaults('rate_limit:30', 1);
    const refused = await ask('refused');
    expect(refused).toMatchObject({ ok: false, status: 429 });
    if (refused.ok) return;
    expect(JSON.parse(refused.text).error).toMatchObject({ type: 'rate_limit_reached_error', message: expect.stringMatching(/30 seconds/) });
    // Whole, as Kimi sent it (account and all): scrubbing is the gateway's (lib/gateway/forward.ts).
    expect(refused.text).toMatch(/<ak-/);
    expect(chatCalls()).toHaveLength(1);
  });

  it('retries a connection that fails before any answer, then gives up with the socket’s error', async () => {
    // A server that hangs up on every connection: each attempt is one connection.
    let connections = 0;
    const hangUp = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    const port = await new Promise<number>((resolve) => hangUp.listen(0, '127.0.0.1', () => resolve((hangUp.address() as { port: number }).port)));
    try {
      await expect(ask('nobody', undefined, false, `http://127.0.0.1:${port}/v1/chat/completions`)).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(connections).toBe(1 + POLICY.maxRetries);
    } finally {
      hangUp.close();
    }
  });

  it('the caller’s signal aborts an answer mid-stream: Kimi sees its request go away', async () => {
    sim.clearRequests();
    sim.queueFaults('stall:5000', 1);
    const abort = new AbortController();
    const answer = (await ask('Please reply with 400 tokens', abort.signal, true)) as UpstreamAnswer;
    expect(answer.status).toBe(200);
    const failed = new Promise<unknown>((resolve) => answer.body.once('error', resolve));
    await new Promise((resolve) => answer.body.once('data', resolve));
    abort.abort();
    expect(await failed).toBeInstanceOf(Error);
    await waitFor(() => chatCalls().at(-1)?.aborted, 10_000, 'the simulator to see the request go away');
  });

  it('a signal aborted during a retry’s wait ends the call at once', async () => {
    sim.queueFaults('rate_limit:10', 1);
    const abort = new AbortController();
    const startedAt = performance.now();
    const call = ask('waiting', abort.signal);
    setTimeout(() => abort.abort(new Error('the client went away')), 200);
    await expect(call).rejects.toThrow('the client went away');
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    sim.clearFaults();
  });
});

// Fault injection, rate limits and the request log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../sim';
import { chat, client, KEY, post, readSse, stream, user } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ org: 'org-test' });
});
afterAll(() => sim.close());

// kimi-k2.6 with thinking off: content chunks only, so event counts and timings stay simple.
const PLAIN = { model: 'kimi-k2.6', thinking: { type: 'disabled' as const } };
const body = { ...PLAIN, messages: user('reply with 40 tokens') };
const streamParams = { ...PLAIN, messages: [{ role: 'user' as const, content: 'reply with 40 tokens' }], stream: true as const };
const fault = (spec: string) => ({ 'x-sim-fault': spec });

describe('error faults (x-sim-fault header)', () => {
  it.each([
    ['server_error', 500, 'server_error', /^Internal server error/],
    ['overloaded', 429, 'engine_overloaded_error', /^The engine is currently overloaded, please try again later$/],
    [
      'rate_limit:2',
      429,
      'rate_limit_reached_error',
      /^Your account org-test<ak-[0-9a-f]{12}> request reached organization max RPM: 3, please try again after 2 seconds$/,
    ],
    ['quota', 429, 'exceeded_current_quota_error', /^You exceeded your current token quota: org-test, please check your account balance$/],
    ['content_filter', 400, 'content_filter', /^The request was rejected because it was considered high risk$/],
  ])('%s → %i %s', async (spec, status, type, message) => {
    const response = await chat(sim, body, fault(spec));
    expect(response.status).toBe(status);
    expect(response.json.error.type).toBe(type);
    expect(response.json.error.message).toMatch(message);
    expect(Object.keys(response.json.error)).toEqual(['message', 'type']);
  });

  it('rejects an unknown fault name', async () => {
    const response = await chat(sim, body, fault('explode'));
    expect(response.status).toBe(400);
    expect(response.json.error.message).toBe('Invalid x-sim-fault header: unknown fault "explode"');
  });
});

describe('stream faults', () => {
  it('drop:N cuts the connection after N events: no [DONE], and the openai client throws', async () => {
    const s = await stream(sim, body, fault('drop:3'));
    expect(s.status).toBe(200);
    expect(s.raw.length).toBe(3);
    expect(s.done).toBe(false);
    const openai = client(sim, fault('drop:3'));
    const run = async () => {
      const chunks = await openai.chat.completions.create(streamParams);
      for await (const _ of chunks) void _;
    };
    await expect(run()).rejects.toThrow();
    const log = sim.requests().filter((r) => r.headers['x-sim-fault'] === 'drop:3');
    expect(log.map((r) => r.aborted)).toEqual([false, false]);
    expect(log.every((r) => r.usage === undefined)).toBe(true);
  });

  it('stall:MS pauses after the first text event', async () => {
    const s = await stream(sim, body, fault('stall:300'));
    expect(s.done).toBe(true);
    // events: role, first content, (pause), second content…; the server sends the second ≥300 ms after it starts
    const [, first = 0, second = 0] = s.times;
    expect(second).toBeGreaterThanOrEqual(295);
    expect(second - first).toBeGreaterThanOrEqual(150);
    const gaps = s.times.slice(1).map((t, i) => t - (s.times[i] as number));
    expect(gaps.filter((gap) => gap >= 150)).toHaveLength(1);
  });

  it('linger:MS keeps the stream open after [DONE] before it ends', async () => {
    const started = performance.now();
    const s = await stream(sim, body, fault('linger:400'));
    const ended = performance.now() - started;
    expect(s.done).toBe(true);
    expect(s.raw.at(-1)).toBe('[DONE]');
    expect(ended - (s.times.at(-1) as number)).toBeGreaterThanOrEqual(380);
  });

  it('slow_first:MS delays the first token, not the role chunk', async () => {
    const s = await stream(sim, body, fault('slow_first:300'));
    expect(s.done).toBe(true);
    expect((s.times[1] as number) - (s.times[0] as number)).toBeGreaterThanOrEqual(280);
  });

  it('slow_first and stall delay non-streaming replies too', async () => {
    const started = performance.now();
    expect((await chat(sim, body, fault('slow_first:150,stall:150'))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('error_event:N sends an error event after N events and ends without [DONE]', async () => {
    const s = await stream(sim, body, fault('error_event:2'));
    expect(s.raw.length).toBe(3);
    expect(s.events[2]).toEqual({ error: { message: expect.stringMatching(/simulated/), type: 'server_error' } });
    expect(s.done).toBe(false);
    const openai = client(sim, fault('error_event:2'));
    const run = async () => {
      for await (const _ of await openai.chat.completions.create(streamParams)) void _;
    };
    await expect(run()).rejects.toMatchObject({ error: { type: 'server_error' } });
  });
});

describe('queued and standing faults', () => {
  const queue = (payload: unknown) => fetch(`${sim.origin}/sim/faults`, { method: 'POST', body: JSON.stringify(payload) });

  it('POST /sim/faults queues faults consumed in order by the next chat requests', async () => {
    expect((await queue({ fault: 'server_error', count: 2 })).status).toBe(200);
    const listed = await queue({ fault: 'overloaded' });
    expect(await listed.json()).toEqual({ queued: [{ fault: 'server_error' }, { fault: 'server_error' }, { fault: 'overloaded' }] });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat(sim, body)).status);
    expect(statuses).toEqual([500, 500, 429, 200]);
  });

  it('a queued fault for one model is left for that model', async () => {
    await queue({ fault: 'content_filter', count: 1, model: 'kimi-k3' });
    const k3 = { model: 'kimi-k3', messages: body.messages };
    expect((await chat(sim, body)).status).toBe(200);
    expect((await chat(sim, k3)).status).toBe(400);
    expect((await chat(sim, k3)).status).toBe(200);
  });

  it('DELETE /sim/faults clears the queue; bad specs are 400', async () => {
    await queue({ fault: 'quota', count: 5 });
    expect((await fetch(`${sim.origin}/sim/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await chat(sim, body)).status).toBe(200);
    expect((await queue({ fault: 'drop' })).status).toBe(400);
  });

  it('setFaults() and the faults option apply to every chat request', async () => {
    sim.setFaults('overloaded');
    expect((await chat(sim, body)).status).toBe(429);
    expect((await chat(sim, body)).status).toBe(429);
    sim.setFaults(undefined);
    expect((await chat(sim, body)).status).toBe(200);
    const faulty = await startSimulator({ faults: 'drop:1' });
    try {
      const s = await stream(faulty, body);
      expect(s.raw.length).toBe(1);
    } finally {
      await faulty.close();
    }
  });
});

describe('rate limits (tier 0: concurrency 1, 3 RPM)', () => {
  it('a second concurrent request gets the concurrency 429 with an honest wait', async () => {
    const tier0 = await startSimulator({ tier: 0, org: 'org-t0' });
    try {
      const started = performance.now();
      const slow = await post(tier0, '/chat/completions', { ...body, stream: true }, fault('slow_first:600'));
      const second = await chat(tier0, body);
      expect(second.status).toBe(429);
      expect(second.json.error.type).toBe('rate_limit_reached_error');
      expect(second.json.error.message).toMatch(
        /^Your account org-t0<ak-[0-9a-f]{12}> request reached organization max concurrency: 1, please try again after 1 seconds$/,
      );
      await readSse(slow, started);
      expect((await chat(tier0, body)).status).toBe(200);
    } finally {
      await tier0.close();
    }
  });

  it('the fourth request in a minute gets the RPM 429 naming the seconds left', async () => {
    const tier0 = await startSimulator({ tier: 0, org: 'org-t0' });
    try {
      for (let i = 0; i < 3; i++) expect((await chat(tier0, body)).status).toBe(200);
      const fourth = await chat(tier0, body);
      expect(fourth.status).toBe(429);
      expect(fourth.json.error.message).toMatch(
        /^Your account org-t0<ak-[0-9a-f]{12}> request reached organization max RPM: 3, please try again after (5[5-9]|60) seconds$/,
      );
    } finally {
      await tier0.close();
    }
  });

  it('explicit limits work too', async () => {
    const custom = await startSimulator({ tier: { concurrency: 10, rpm: 1 } });
    try {
      expect((await chat(custom, body)).status).toBe(200);
      expect((await chat(custom, body)).json.error.message).toMatch(/max RPM: 1,/);
    } finally {
      await custom.close();
    }
  });
});

describe('request log', () => {
  it('records every /v1 request without the key, with params, status and usage', async () => {
    sim.clearRequests();
    const response = await chat(sim, { model: 'kimi-k2.6', messages: user('log me'), temperature: 1, max_tokens: 500 }, { 'x-custom': 'yes' });
    await fetch(`${sim.url}/models`);
    const [entry, unauth] = sim.requests();
    expect(entry).toMatchObject({
      id: response.headers.get('msh-request-id'),
      method: 'POST',
      path: '/v1/chat/completions',
      model: 'kimi-k2.6',
      messages: user('log me'),
      params: { model: 'kimi-k2.6', temperature: 1, max_tokens: 500 },
      status: 200,
      stream: false,
      aborted: false,
      usage: response.json.usage,
    });
    expect(entry!.params).not.toHaveProperty('messages');
    expect(entry!.headers['x-custom']).toBe('yes');
    expect(entry!.headers.authorization).toBe(`Bearer sk-…${KEY.slice(-4)}`);
    expect(unauth).toMatchObject({ path: '/v1/models', status: 401 });
    const viaHttp = await (await fetch(`${sim.origin}/sim/requests`)).text();
    expect(viaHttp).not.toContain(KEY);
    expect(JSON.parse(viaHttp)).toEqual(sim.requests());
    expect((await fetch(`${sim.origin}/sim/requests`, { method: 'DELETE' })).status).toBe(200);
    expect(sim.requests()).toEqual([]);
  });

  it('is a bounded ring', async () => {
    const small = await startSimulator({ logSize: 3 });
    try {
      for (let i = 0; i < 5; i++) await chat(small, { ...PLAIN, messages: user(`n${i}`) });
      expect(small.requests().map((r) => r.messages)).toEqual([user('n2'), user('n3'), user('n4')]);
    } finally {
      await small.close();
    }
  });

  it('marks a stream the client abandons as aborted and stops generating', async () => {
    const paced = await startSimulator({ tokensPerSecond: 100, chunkTokens: 1 });
    try {
      const response = await post(paced, '/chat/completions', { ...body, messages: user('reply with 200 tokens'), stream: true });
      const reader = response.body!.getReader();
      await reader.read();
      await reader.cancel();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [entry] = paced.requests();
      expect(entry).toMatchObject({ stream: true, status: 200, aborted: true });
      expect(entry!.usage).toBeUndefined();
      // nothing is billed for an abandoned stream
      const balance = (await (await fetch(`${paced.url}/users/me/balance`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as any;
      expect(balance.data.available_balance).toBe(50);
    } finally {
      await paced.close();
    }
  });

  it('marks a non-streaming request the client abandons during the wait as aborted, unbilled', async () => {
    const paced = await startSimulator({ ttftMs: 300 });
    try {
      const controller = new AbortController();
      const pending = post(paced, '/chat/completions', body);
      const aborted = fetch(`${paced.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      }).catch((error: Error) => error);
      setTimeout(() => controller.abort(), 50);
      expect(await aborted).toBeInstanceOf(Error);
      await pending;
      await new Promise((resolve) => setTimeout(resolve, 350));
      const entries = paced.requests();
      expect(entries.map((e) => e.aborted).sort()).toEqual([false, true]);
      expect(entries.find((e) => e.aborted)!.usage).toBeUndefined();
      expect(entries.find((e) => !e.aborted)!.usage).toBeDefined();
    } finally {
      await paced.close();
    }
  });
});

describe('pace', () => {
  it('ttftMs and tokensPerSecond pace streams and delay non-streaming replies', async () => {
    const paced = await startSimulator({ ttftMs: 200, tokensPerSecond: 200, chunkTokens: 2 });
    try {
      const s = await stream(paced, body);
      expect(s.done).toBe(true);
      const contentTimes = s.times.slice(1, -2);
      expect(contentTimes[0]).toBeGreaterThanOrEqual(195);
      // 40 tokens at 200 tok/s: the last content chunk ≈ 190 ms after the first
      expect((contentTimes.at(-1) as number) - (contentTimes[0] as number)).toBeGreaterThanOrEqual(150);
      const started = performance.now();
      expect((await chat(paced, body)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    } finally {
      await paced.close();
    }
  });
});

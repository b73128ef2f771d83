// Resume and Stop across instances through Redis (127.0.0.1:6379, or REDIS_TEST_URL): two relays in this
// process stand for two app instances — "A" is the process's registry, driven by the real chat, resume
// and stop routes; "B" is a second registry with its own relay, connection and instance id. Keys use a
// prefix of their own and are removed at the end.
import net from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isCurrentAnswer } from '@/lib/chat/conversations';
import { ActiveStreams, activeStreams } from '@/lib/chat/live';
import { type RedisRelayOptions, RedisStreamRelay } from '@/lib/chat/live/redis-relay';
import { type ChatHarness, openChatHarness, type Who, waitFor } from '@/tests/support/chat-harness';
import { parseSse, readUntil, textOf } from '@/tests/support/ui-stream';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `kimi-chat-test:${crypto.randomUUID()}:`;
/** A served model; its thinking is turned off on these turns so the answers are text only (byte and text comparisons). */
const MODEL = 'kimi-k2.6';

async function readAll(stream: ReadableStream<string> | ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  const reader = (stream as ReadableStream<string | Uint8Array>).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    text += typeof next.value === 'string' ? next.value : decoder.decode(next.value, { stream: true });
  }
  return text;
}

/**
 * A TCP hop between a relay and Redis that the test can cut and restore (Redis going away mid-answer), or
 * pause and resume (Redis that keeps the connections but stops answering).
 */
async function redisProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  let paused = false;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname);
        client.on('data', (data) => upstream.write(data));
        upstream.on('data', (data) => client.write(data));
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => {
            sockets.delete(s);
            client.destroy();
            upstream.destroy();
          });
          if (paused) s.pause();
        }
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    cut: async () => {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    restore: listen,
    /** Stops forwarding either way (connections stay open; new ones are accepted but get nowhere). */
    pause: () => {
      paused = true;
      for (const s of sockets) s.pause();
    },
    resume: () => {
      paused = false;
      for (const s of sockets) s.resume();
    },
  };
}

/** A server that accepts TCP connections and never answers: a hung Redis. */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** Resolves to `fallback` if `promise` has not settled within `ms`. */
function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() => clearTimeout(timer));
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('resumable answers across instances (Redis)', () => {
  let h: ChatHarness;
  let alice: Who;
  let bob: Who;
  const redis = createClient({ url: REDIS_URL });
  const relays: RedisStreamRelay[] = [];
  const quiet = () => ({ warn: vi.fn(), info: vi.fn() });
  const relay = (options: Partial<RedisRelayOptions> = {}) => {
    const r = new RedisStreamRelay({ url: REDIS_URL, prefix: PREFIX, log: quiet(), ...options });
    relays.push(r);
    return r;
  };
  let relayA: RedisStreamRelay;
  let relayB: RedisStreamRelay;
  let hubB: ActiveStreams;

  const send = (who: Who, id: string, text: string) =>
    h.post(who, { id, trigger: 'submit-message', message: h.userMessage(text), settings: h.settings(MODEL, { thinking: false }) });
  const resumeOnA = (who: Who, id: string) => h.routes.stream.GET!(h.req(who, `/api/chat/${id}/stream`), h.ctx(id));
  const stopOnA = (who: Who, id: string) => h.routes.stop.POST!(h.req(who, `/api/chat/${id}/stop`, { method: 'POST' }), h.ctx(id));
  const savedAnswer = (id: string) => h.prisma.message.findFirst({ where: { conversationId: id, role: 'assistant', status: { not: 'streaming' } } });
  // The registry's Redis path with the stream route's check (the answer must be the conversation's current one).
  const follow = (hub: ActiveStreams, id: string, who: Who) => hub.follow(id, who.id, (messageId) => isCurrentAnswer(who.id, id, messageId));
  /** An answer generated by `producer` (another instance), with the rows that instance writes; one chunk sent. */
  const remoteAnswer = async (producer: ActiveStreams, who: Who, id = crypto.randomUUID()) => {
    await h.prisma.conversation.upsert({ where: { id }, create: { id, userId: who.id, model: MODEL }, update: {} });
    const question = await h.prisma.message.create({
      data: { id: crypto.randomUUID(), conversationId: id, role: 'user', parts: [{ type: 'text', text: 'hi' }] },
    });
    const live = producer.start(id, crypto.randomUUID(), who.id)!;
    // The answer under its question, and the conversation's current leaf, as a turn writes them.
    await h.prisma.message.create({
      data: { id: live.messageId, conversationId: id, role: 'assistant', parts: [], status: 'streaming', parentId: question.id },
    });
    await h.prisma.conversation.update({ where: { id }, data: { leafId: live.messageId } });
    live.push(`data: ${JSON.stringify({ type: 'start', messageId: live.messageId })}\n\n`);
    return { id, live };
  };
  const answerText = (parts: unknown) =>
    (parts as Array<{ type: string; text?: string }>)
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join('');

  beforeAll(async () => {
    // Paced like a real model: answers take seconds, so there is a "mid-answer" to join.
    h = await openChatHarness('pglite', {}, { ttftMs: 30, tokensPerSecond: 150 });
    alice = await h.signedIn('alice@example.com');
    bob = await h.signedIn('bob@example.com');
    await redis.connect();
    relayA = relay();
    relayB = relay();
    activeStreams.useRelay(relayA);
    hubB = new ActiveStreams(() => relayB);
    await waitFor(async () => relayA.isUp && relayB.isUp);
  });

  afterAll(async () => {
    activeStreams.useRelay(undefined);
    for (const r of relays) await r.close();
    if (redis.isOpen) {
      const keys = await redis.keys(`${PREFIX}*`);
      if (keys.length > 0) await redis.del(keys);
      await redis.close();
    }
    await h?.close();
  });

  it('without REDIS_URL, answers stay in-process and nothing connects to Redis', async () => {
    const hub = new ActiveStreams(); // the relay the settings name: none, REDIS_URL is unset here
    const id = crypto.randomUUID();
    const live = hub.start(id, crypto.randomUUID(), alice.id)!;
    expect(live.mirror).toBeUndefined();
    live.push('data: {"type":"start"}\n\n');
    expect(await hub.live(id, alice.id)).toEqual({ messageId: live.messageId, here: true });
    hub.finish(live);
    expect(await hub.live(id, alice.id)).toBeUndefined();
    expect(await follow(hub, id, alice)).toBeUndefined();
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('kimi-chat.stream-relay')]).toBeUndefined();
  });

  it('a follower on B joining mid-answer gets exactly the bytes A sends, then both end together', async () => {
    const id = crypto.randomUUID();
    const res = await send(alice, id, 'Please reply with 300 tokens');
    expect(res.status).toBe(200);
    const browser = readUntil(res, () => false);
    const onA = await resumeOnA(alice, id); // the answer is registered before the response is returned
    expect(onA.status).toBe(200);
    const followerA = readAll(onA.body!);

    // B knows nothing locally: it finds the answer in Redis once some text has gone out.
    await waitFor(async () => (await relayB.lookup(id))?.messageId);
    const live = activeStreams.get(id)!;
    await waitFor(async () => textOf(parseSse(await peek(live))).length > 100);
    expect(live.done).toBe(false);
    const onB = await follow(hubB, id, alice);
    expect(onB).toBeDefined();
    const [a, b, seen] = await Promise.all([followerA, readAll(onB!), browser]);

    expect(b).toBe(a);
    expect(b).toBe(seen.soFar);
    const chunks = parseSse(b);
    expect(chunks.some((c) => c.type === 'finish')).toBe(true);
    expect(textOf(chunks).length).toBeGreaterThan(500);
    const saved = await waitFor(() => savedAnswer(id));
    expect(answerText(saved.parts)).toBe(textOf(chunks));

    // Late, within the TTL: B (and A, whose own copy is gone) replay the whole answer from Redis.
    expect(activeStreams.get(id)).toBeUndefined();
    expect(await readAll((await follow(hubB, id, alice))!)).toBe(a);
    const lateOnA = await resumeOnA(alice, id);
    expect(lateOnA.status).toBe(200);
    expect(await readAll(lateOnA.body!)).toBe(a);
    const meta = await relayB.lookup(id);
    expect(meta).toMatchObject({ messageId: saved.id, userId: alice.id, owner: relayA.instanceId, ended: true });
    const keys = relayA.keys(id, saved.id);
    for (const key of [keys.meta, keys.stream]) {
      const ttl = await redis.pTTL(key);
      expect(ttl).toBeGreaterThan(relayA.endedTtlMs - 60_000);
      expect(ttl).toBeLessThanOrEqual(relayA.endedTtlMs);
    }

    // Someone else's answer: 204 on either instance, like nothing running.
    expect(await follow(hubB, id, bob)).toBeUndefined();
    expect((await resumeOnA(bob, id)).status).toBe(204);
    expect((await resumeOnA(alice, crypto.randomUUID())).status).toBe(204);
  });

  it('shows the conversation as streaming on B while A generates it, so the page resumes there', async () => {
    const id = crypto.randomUUID();
    const res = await send(alice, id, 'Please reply with 300 tokens');
    const browser = readUntil(res, () => false);
    const placeholder = await waitFor(() => h.prisma.message.findFirst({ where: { conversationId: id, role: 'assistant', status: 'streaming' } }));
    expect(await hubB.live(id, alice.id)).toEqual({ messageId: placeholder.id, here: false });
    expect(await hubB.live(id, bob.id)).toBeUndefined();
    await browser;
  });

  it('Stop on B aborts the upstream call on A within 100 ms; the partial answer is kept as stopped', async () => {
    const id = crypto.randomUUID();
    const res = await send(alice, id, 'Please reply with 3000 tokens');
    const browser = readUntil(res, () => false);
    const live = activeStreams.get(id)!;
    let abortedAt = 0;
    live.controller.signal.addEventListener('abort', () => (abortedAt = performance.now()));
    await waitFor(async () => (await relayB.lookup(id)) && textOf(parseSse(await peek(live))).length > 50);

    // Bob cannot stop Alice's answer from anywhere.
    await hubB.abort(id, bob.id, 'stop');
    expect((await stopOnA(bob, id)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 150));
    expect(live.controller.signal.aborted).toBe(false);

    const asked = performance.now();
    await hubB.abort(id, alice.id, 'stop');
    await waitFor(async () => abortedAt > 0, 2_000);
    const latency = abortedAt - asked;
    console.log(`[resume-redis] Stop on B → abort on A: ${latency.toFixed(1)} ms`);
    expect(latency).toBeLessThan(100);

    const seen = await browser;
    const saved = await waitFor(() => savedAnswer(id));
    expect(saved.status).toBe('stopped');
    expect(answerText(saved.parts).length).toBeGreaterThan(50);
    expect(answerText(saved.parts)).toBe(textOf(parseSse(seen.soFar)));
    await waitFor(async () => h.sim.requests().find((r) => r.stream && r.aborted));
  });

  it("serves B's real routes for an answer generated on another instance: resume, 204 for others, Stop", async () => {
    // Roles swapped: the process's registry (real routes) is now the follower; a second registry generates.
    const producer = new ActiveStreams(() => relayB);
    const id = crypto.randomUUID();
    const live = producer.start(id, crypto.randomUUID(), alice.id)!;
    // The rows the generating instance wrote: the user's message and the answer's placeholder.
    await h.prisma.conversation.create({ data: { id, userId: alice.id, model: MODEL, leafId: live.messageId } });
    const question = await h.prisma.message.create({
      data: { id: crypto.randomUUID(), conversationId: id, role: 'user', parts: [{ type: 'text', text: 'hi' }] },
    });
    await h.prisma.message.create({
      data: { id: live.messageId, conversationId: id, role: 'assistant', parts: [], status: 'streaming', parentId: question.id },
    });
    let abortedAt = 0;
    live.controller.signal.addEventListener('abort', () => (abortedAt = performance.now()));
    const sent: string[] = [];
    const emit = (chunk: unknown) => {
      const line = `data: ${JSON.stringify(chunk)}\n\n`;
      sent.push(line);
      live.push(line);
    };
    emit({ type: 'start', messageId: live.messageId });
    emit({ type: 'text-start', id: 't' });
    for (let i = 0; i < 20; i++) emit({ type: 'text-delta', id: 't', delta: `word ${i} 中文 ` });
    await waitFor(async () => (await relayA.lookup(id))?.messageId === live.messageId);

    // The page on this instance says "streaming" (so the client resumes) and leaves the placeholder out.
    const detail = (await (await h.routes.one.GET!(h.req(alice, `/api/conversations/${id}`), h.ctx(id))).json()) as {
      streaming: boolean;
      messages: Array<{ role: string }>;
    };
    expect(detail.streaming).toBe(true);
    expect(detail.messages.map((m) => m.role)).toEqual(['user']);

    const resumed = await resumeOnA(alice, id);
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('content-type')).toContain('text/event-stream');
    const body = readAll(resumed.body!);
    expect((await resumeOnA(bob, id)).status).toBe(204);
    for (let i = 20; i < 60; i++) {
      emit({ type: 'text-delta', id: 't', delta: `word ${i} ` });
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    const asked = performance.now();
    expect((await stopOnA(alice, id)).status).toBe(204);
    await waitFor(async () => abortedAt > 0, 2_000);
    console.log(`[resume-redis] Stop route on one instance → abort on the other: ${(abortedAt - asked).toFixed(1)} ms`);
    expect(abortedAt - asked).toBeLessThan(100);
    emit({ type: 'text-end', id: 't' });
    emit({ type: 'finish' });
    live.push('data: [DONE]\n\n');
    sent.push('data: [DONE]\n\n');
    producer.finish(live);
    expect(await body).toBe(sent.join(''));

    // A placeholder left `streaming` with nothing live anywhere (a crashed writer) is not resumed.
    const orphan = crypto.randomUUID();
    await h.prisma.conversation.create({ data: { id: orphan, userId: alice.id, model: MODEL } });
    await h.prisma.message.create({ data: { id: crypto.randomUUID(), conversationId: orphan, role: 'assistant', parts: [], status: 'streaming' } });
    const orphanDetail = (await (await h.routes.one.GET!(h.req(alice, `/api/conversations/${orphan}`), h.ctx(orphan))).json()) as {
      streaming: boolean;
      messages: unknown[];
    };
    expect(orphanDetail).toMatchObject({ streaming: false });
    expect(orphanDetail.messages).toHaveLength(1);
  });

  it('deleting the conversation on one instance aborts its answer on the other', async () => {
    const producer = new ActiveStreams(() => relayB);
    const id = crypto.randomUUID();
    await h.prisma.conversation.create({ data: { id, userId: alice.id, model: MODEL } });
    const live = producer.start(id, crypto.randomUUID(), alice.id)!;
    live.push('data: {"type":"start"}\n\n');
    await waitFor(async () => (await relayA.lookup(id))?.messageId === live.messageId);
    expect((await h.routes.one.DELETE!(h.req(bob, `/api/conversations/${id}`, { method: 'DELETE' }), h.ctx(id))).status).toBe(404);
    expect((await h.routes.one.DELETE!(h.req(alice, `/api/conversations/${id}`, { method: 'DELETE' }), h.ctx(id))).ok).toBe(true);
    await waitFor(async () => live.controller.signal.aborted, 2_000);
    expect(live.controller.signal.reason).toBe('deleted');
    producer.finish(live);
  });

  it('with Redis down at start, chats and same-instance resume work as before, with one warning', async () => {
    const log = quiet();
    const down = relay({ url: `redis://127.0.0.1:${await closedPort()}`, log });
    activeStreams.useRelay(down);
    try {
      for (let i = 0; i < 2; i++) {
        const id = crypto.randomUUID();
        const started = performance.now();
        const res = await send(alice, id, 'Please reply with 60 tokens');
        expect(res.status).toBe(200);
        const resumed = await resumeOnA(alice, id);
        expect(resumed.status).toBe(200);
        const [seen, replay] = await Promise.all([readUntil(res, () => false), readAll(resumed.body!)]);
        expect(replay).toBe(seen.soFar);
        expect(parseSse(seen.soFar).some((c) => c.type === 'finish')).toBe(true);
        expect(performance.now() - started).toBeLessThan(5_000);
        expect((await savedAnswer(id))?.status).toBe('complete');
        expect(await down.lookup(id)).toBeUndefined();
      }
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(String(log.warn.mock.calls[0]?.[0])).toContain('Redis unavailable');
    } finally {
      activeStreams.useRelay(relayA);
    }
  });

  it('with Redis gone mid-answer, the answer completes in-process with one warning, and its copy is removed once Redis is back', async () => {
    const proxy = await redisProxy(new URL(REDIS_URL));
    const log = quiet();
    const flaky = relay({ url: proxy.url, log });
    await waitFor(async () => flaky.isUp);
    activeStreams.useRelay(flaky);
    try {
      const id = crypto.randomUUID();
      const res = await send(alice, id, 'Please reply with 400 tokens');
      const browser = readUntil(res, () => false);
      const resumed = await resumeOnA(alice, id);
      const follower = readAll(resumed.body!);
      const live = activeStreams.get(id)!;
      const keys = flaky.keys(id, live.messageId);
      await waitFor(async () => (await redis.xLen(keys.stream)) > 3);
      await proxy.cut();
      const cutAt = textOf(parseSse(await peek(live))).length;

      const [seen, replay] = await Promise.all([browser, follower]);
      expect(parseSse(seen.soFar).some((c) => c.type === 'finish')).toBe(true);
      expect(textOf(parseSse(seen.soFar)).length).toBeGreaterThan(cutAt);
      expect(replay).toBe(seen.soFar);
      expect((await waitFor(() => savedAnswer(id))).status).toBe('complete');
      expect(log.warn).toHaveBeenCalledTimes(1);

      // The half-written copy must not be served as if it were whole.
      await proxy.restore();
      await waitFor(async () => flaky.isUp, 10_000);
      await waitFor(async () => (await redis.exists(keys.meta)) === 0);
      expect(await follow(hubB, id, alice)).toBeUndefined();
      expect(log.info).toHaveBeenCalledTimes(1);
      expect(log.warn).toHaveBeenCalledTimes(1);

      // And the next answer is mirrored again.
      const next = crypto.randomUUID();
      const body = await (await send(alice, next, 'Please reply with 20 tokens')).text();
      await waitFor(async () => (await hubB.live(next, alice.id)) !== undefined);
      expect(await readAll((await follow(hubB, next, alice))!)).toBe(body);
    } finally {
      activeStreams.useRelay(relayA);
      await flaky.close();
      await proxy.cut().catch(() => undefined);
    }
  });

  it('with a Redis that accepts connections but never answers, chats complete and the relay gives up, keeping nothing', async () => {
    const silent = await silentServer();
    const log = quiet();
    const hung = relay({ url: silent.url, log, timeoutMs: 200 });
    activeStreams.useRelay(hung);
    try {
      const id = crypto.randomUUID();
      const res = await send(alice, id, 'Please reply with 60 tokens');
      expect(activeStreams.get(id)!.mirror).toBeDefined(); // still connecting: queued meanwhile
      const seen = await readUntil(res, () => false);
      expect(parseSse(seen.soFar).some((c) => c.type === 'finish')).toBe(true);
      expect((await waitFor(() => savedAnswer(id))).status).toBe('complete');
      // Within 2 s + timeoutMs of starting: down, and the queued copy is dropped.
      await waitFor(async () => hung.mirrors.size === 0, 5_000);
      expect(hung.isUp).toBe(false);
      expect(log.warn).toHaveBeenCalledTimes(1);
      const next = crypto.randomUUID();
      const body = await (await send(alice, next, 'Please reply with 20 tokens')).text();
      expect(parseSse(body).some((c) => c.type === 'finish')).toBe(true);
      expect(hung.mirrors.size).toBe(0);
      expect(log.warn).toHaveBeenCalledTimes(1);
    } finally {
      activeStreams.useRelay(relayA);
      await hung.close();
      await silent.close();
    }
  });

  it('caps the followers reading from Redis, per process and per user: beyond it the resume route answers 204', async () => {
    const capped = relay({ maxReaders: 3, maxReadersPerUser: 2 });
    await waitFor(async () => capped.isUp);
    activeStreams.useRelay(capped);
    const producer = new ActiveStreams(() => relayB);
    const answers = [
      await remoteAnswer(producer, alice),
      await remoteAnswer(producer, alice),
      await remoteAnswer(producer, alice),
      await remoteAnswer(producer, bob),
      await remoteAnswer(producer, bob),
    ];
    const bodies: ReadableStream<Uint8Array>[] = [];
    try {
      for (const { id, live } of answers) await waitFor(async () => (await capped.lookup(id))?.messageId === live.messageId);
      const resume = async (who: Who, i: number) => {
        const res = await resumeOnA(who, answers[i]!.id);
        if (res.body) bodies.push(res.body);
        return res.status;
      };
      expect(await resume(alice, 0)).toBe(200);
      expect(await resume(alice, 1)).toBe(200);
      expect(await resume(alice, 2)).toBe(204); // alice's two
      expect(await resume(bob, 3)).toBe(200);
      expect(await resume(bob, 4)).toBe(204); // three in all
      expect(capped.readerCount).toBe(3);
      // A follower that leaves frees its slot.
      await bodies.shift()!.cancel();
      await waitFor(async () => capped.readerCount === 2, 2_000);
      expect(await resume(alice, 2)).toBe(200);
    } finally {
      activeStreams.useRelay(relayA);
      for (const body of bodies) await body.cancel().catch(() => undefined);
      for (const { live } of answers) producer.finish(live);
    }
  });

  it('with Redis keeping the connections but no longer answering, the relay goes down and reconnects; followers end within blockMs + timeoutMs', async () => {
    const proxy = await redisProxy(new URL(REDIS_URL));
    const log = quiet();
    const stalling = relay({ url: proxy.url, log, maxInFlight: 16, blockMs: 300, timeoutMs: 300 });
    await waitFor(async () => stalling.isUp);
    activeStreams.useRelay(stalling);
    try {
      const id = crypto.randomUUID();
      const res = await send(alice, id, 'Please reply with 600 tokens');
      const browser = readUntil(res, () => false);
      const live = activeStreams.get(id)!;
      const keys = stalling.keys(id, live.messageId);
      await waitFor(async () => (await redis.xLen(keys.stream)) > 3);
      // A follower on another instance whose Redis connection goes through the same hop.
      const follower = await follow(new ActiveStreams(() => stalling), id, alice);
      expect(follower).toBeDefined();
      const reading = readAll(follower!);
      await new Promise((r) => setTimeout(r, 50));

      proxy.pause();
      const pausedAt = performance.now();
      expect(
        await within(
          reading.then(() => 'ended'),
          3_000,
          'still waiting',
        ),
      ).toBe('ended');
      console.log(`[resume-redis] follower ended ${(performance.now() - pausedAt).toFixed(0)} ms after Redis stopped answering`);
      expect(performance.now() - pausedAt).toBeLessThan(300 + 300 + 500);
      expect(stalling.readerCount).toBe(0);
      await waitFor(async () => !stalling.isUp, 3_000);
      expect(stalling.mirrors.size).toBe(0);
      expect(log.warn).toHaveBeenCalledTimes(1);

      // The chat itself never noticed.
      const seen = await browser;
      expect(parseSse(seen.soFar).some((c) => c.type === 'finish')).toBe(true);
      expect((await waitFor(() => savedAnswer(id))).status).toBe('complete');

      // Answering again: the relay is back on fresh connections, and the half-written copy goes.
      proxy.resume();
      await waitFor(async () => stalling.isUp, 10_000);
      await waitFor(async () => (await redis.exists(keys.meta)) === 0);
      expect(log.info).toHaveBeenCalledTimes(1);
      const next = crypto.randomUUID();
      const body = await (await send(alice, next, 'Please reply with 20 tokens')).text();
      await waitFor(async () => (await hubB.live(next, alice.id)) !== undefined);
      expect(await readAll((await follow(hubB, next, alice))!)).toBe(body);
      expect(log.warn).toHaveBeenCalledTimes(1);
    } finally {
      activeStreams.useRelay(relayA);
      proxy.resume();
      await stalling.close();
      await proxy.cut().catch(() => undefined);
    }
  });

  it('after a Redis error that leaves the connections up, the running copies are dropped and the relay is up again', async () => {
    const log = quiet();
    const r = relay({ log });
    await waitFor(async () => r.isUp);
    const producer = new ActiveStreams(() => r);
    const { id, live } = await remoteAnswer(producer, alice);
    await waitFor(async () => (await relayB.lookup(id))?.messageId === live.messageId);

    // What node-redis does on a reply it cannot parse: an 'error' event, no reconnection, so no 'ready'.
    (r as unknown as { client: NodeJS.EventEmitter }).client.emit('error', new Error('unparsable reply'));
    expect(r.mirrors.size).toBe(0);
    await waitFor(async () => r.isUp, 2_000);
    await waitFor(async () => (await relayB.lookup(id)) === undefined); // the copy may be incomplete: removed
    producer.finish(live);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledTimes(1);

    // New answers are mirrored again.
    const again = await remoteAnswer(producer, alice);
    expect(again.live.mirror).toBeDefined();
    await waitFor(async () => (await relayB.lookup(again.id))?.messageId === again.live.messageId);
    producer.finish(again.live);
  });

  it("resumes from Redis only the conversation's current answer: not an older one, not in a deleted conversation", async () => {
    const producer = new ActiveStreams(() => relayB);
    const ended = async () => {
      const answer = await remoteAnswer(producer, alice);
      producer.finish(answer.live);
      await h.prisma.message.update({ where: { id: answer.live.messageId }, data: { status: 'complete' } });
      await waitFor(async () => (await relayA.lookup(answer.id))?.ended);
      return answer;
    };

    const { id, live: m1 } = await ended();
    const replay = await resumeOnA(alice, id);
    expect(replay.status).toBe(200); // still the latest answer: replayed within the TTL
    expect(await readAll(replay.body!)).toContain(m1.messageId);

    // A newer turn, saved but not (yet) in Redis: the older answer there must not be served for it.
    const again = await h.prisma.message.create({
      data: { id: crypto.randomUUID(), conversationId: id, role: 'user', parts: [{ type: 'text', text: 'again' }], parentId: m1.messageId },
    });
    const newer = await h.prisma.message.create({
      data: { id: crypto.randomUUID(), conversationId: id, role: 'assistant', parts: [], status: 'streaming', parentId: again.id },
    });
    await h.prisma.conversation.update({ where: { id }, data: { leafId: newer.id } });
    expect((await relayA.lookup(id))?.messageId).toBe(m1.messageId);
    expect((await resumeOnA(alice, id)).status).toBe(204);

    const gone = await ended();
    expect((await h.routes.one.DELETE!(h.req(alice, `/api/conversations/${gone.id}`, { method: 'DELETE' }), h.ctx(gone.id))).ok).toBe(true);
    expect((await relayA.lookup(gone.id))?.messageId).toBe(gone.live.messageId);
    expect((await resumeOnA(alice, gone.id)).status).toBe(204);
  });
});

/** What the answer has sent so far, without consuming it. */
async function peek(live: { follow(): ReadableStream<string> }): Promise<string> {
  const reader = live.follow().getReader();
  let text = '';
  // follow() enqueues everything recorded so far synchronously; read it without waiting for more.
  for (;;) {
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 0))]);
    if (!next || next.done) break;
    text += next.value;
  }
  await reader.cancel();
  return text;
}

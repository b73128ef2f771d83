// The chat server end to end below the browser: the real route handlers, a real database, and the
// simulator over real HTTP. Run once per database kind (each kind in its own process: db() is a
// process-wide singleton).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '@/lib/kimi/catalog';
import type { Simulator } from '@/sim';
import { type ChatHarness, ORIGIN, openChatHarness, type Who, waitFor } from '@/tests/support/chat-harness';
import { parseSse, readUntil, textOf } from '@/tests/support/ui-stream';

/** Auto's pick for a short prompt today: the cheapest general model whose window holds prompt + its default budget. */
const AUTO_PICK = getModel('kimi-k2.6');
/** For tests that need the answer as text parts only (exact text, stops, resumes): K2.6 without thinking. */
const CONTENT_MODEL = 'kimi-k2.6';
const NO_THINKING = { thinking: false };

export function chatApiSuite(kind: 'pglite' | 'postgres'): void {
  describe(`chat API on ${kind}`, () => {
    let h: ChatHarness;
    let sim: Simulator;
    let prisma: ChatHarness['prisma'];
    let alice: Who;
    let bob: Who;
    // Short names for the harness's helpers, bound once it is open.
    let post: ChatHarness['post'], turn: ChatHarness['turn'], req: ChatHarness['req'], ctx: ChatHarness['ctx'];
    let settings: ChatHarness['settings'], userMessage: ChatHarness['userMessage'], signedIn: ChatHarness['signedIn'];
    let stream: ChatHarness['routes']['stream'], stop: ChatHarness['routes']['stop'];
    let list: ChatHarness['routes']['list'], one: ChatHarness['routes']['one'];

    beforeAll(async () => {
      h = await openChatHarness(kind);
      ({ sim, prisma, post, turn, req, ctx, settings, userMessage, signedIn } = h);
      ({ stream, stop, list, one } = h.routes);
      alice = await signedIn('alice@example.com');
      bob = await signedIn('bob@example.com');
    });
    afterAll(() => h?.close());
    const isTitleCall = (r: { messages?: unknown }) => JSON.stringify(r.messages).includes('conversation titles');

    it('streams an answer in pieces, saves it with the user message, an exact usage row and a title', async () => {
      const id = crypto.randomUUID();
      sim.clearRequests();
      const chunks = await turn(alice, id, 'Hello Kimi, how long is a piece of string?');
      const text = textOf(chunks);
      expect(chunks.filter((c) => c.type === 'text-delta').length).toBeGreaterThan(3);
      expect(text).toContain('Hello Kimi, how long is a piece of string?');
      const start = chunks.find((c) => c.type === 'start') as unknown as { messageMetadata: { model: string } };
      expect(start.messageMetadata.model).toBe(AUTO_PICK.id); // auto → the cheapest model that fits
      expect(chunks.find((c) => c.type === 'data-title')).toBeTruthy();

      const upstream = sim.requests().filter((r) => r.path === '/v1/chat/completions');
      const chatCall = upstream.find((r) => r.stream);
      expect(chatCall?.model).toBe(AUTO_PICK.id);
      expect(chatCall?.headers.authorization).not.toContain('sk-integration');

      const convo = await prisma.conversation.findUniqueOrThrow({ where: { id }, include: { messages: { orderBy: { seq: 'asc' } } } });
      expect(convo.userId).toBe(alice.id);
      expect(convo.title).not.toBe('');
      expect(convo.messages.map((m) => [m.role, m.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'complete'],
      ]);
      // Thinking is on by default: the reasoning streams first and is stored before the answer's text.
      const reasoning = textOf(chunks, 'reasoning-delta');
      expect(reasoning.length).toBeGreaterThan(0);
      expect(convo.messages[1]?.parts).toEqual([
        { type: 'reasoning', text: reasoning },
        { type: 'text', text },
      ]);

      const usage = await prisma.usage.findMany({ where: { conversationId: id }, orderBy: { id: 'asc' } });
      expect(usage.map((u) => u.purpose).sort()).toEqual(['chat', 'title']);
      const chatUsage = usage.find((u) => u.purpose === 'chat')!;
      const reported = chatCall!.usage!;
      expect({
        prompt: chatUsage.promptTokens,
        cached: chatUsage.cachedTokens,
        completion: chatUsage.completionTokens,
        reasoning: chatUsage.reasoningTokens,
      }).toEqual({
        prompt: reported.prompt_tokens,
        cached: reported.cached_tokens ?? 0,
        completion: reported.completion_tokens,
        reasoning: reported.completion_tokens_details?.reasoning_tokens ?? 0,
      });
      expect(chatUsage.estimated).toBe(false);
      expect(chatUsage.outcome).toBe('ok');
      expect(chatUsage.requestedModel).toBe('auto');
      expect(chatUsage.servedModel).toBe(AUTO_PICK.id);
      expect(chatUsage.reasoningTokens).toBeGreaterThan(0); // completion tokens include the reasoning
      expect(chatUsage.ttftMs).not.toBeNull();
      expect(chatUsage.messageId).toBe(convo.messages[1]?.id);
      // kimi-k2.6's seed prices (CNY per million: cache hit, input, output), from the catalog.
      const rates = AUTO_PICK.prices.CNY!;
      const cached = reported.cached_tokens ?? 0;
      const expected =
        ((reported.prompt_tokens - cached) * rates.input + cached * (rates.cacheHit ?? rates.input) + reported.completion_tokens * rates.output) /
        1e6;
      expect(Number(chatUsage.cost)).toBeCloseTo(expected, 10);
      expect(chatUsage.currency).toBe('CNY');
    });

    it('sends the history and the system prompt, and never a temperature to models that pin it', async () => {
      // Every model Kimi serves today pins its temperature (Kimi answers 400 to any other value): a
      // conversation's temperature is kept but not sent. (Range models are legacy: see kimi-errors.)
      expect(getModel(CONTENT_MODEL).temperature.kind).toBe('fixed');
      const id = crypto.randomUUID();
      await turn(alice, id, 'first question', CONTENT_MODEL, { systemPrompt: 'You are terse.', temperature: 0.4, ...NO_THINKING });
      sim.clearRequests();
      await turn(alice, id, 'second question', CONTENT_MODEL, { systemPrompt: 'You are terse.', temperature: 0.4, ...NO_THINKING });
      const sent = sim.requests().find((r) => r.stream)!;
      expect(sent.status).toBe(200);
      const messages = sent.messages as Array<{ role: string; content: string }>;
      expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(messages[0]?.content).toBe('You are terse.');
      expect(messages[1]?.content).toBe('first question');
      expect(messages[3]?.content).toBe('second question');
      expect(sent.params).not.toHaveProperty('temperature');
      expect(sent.params.thinking).toEqual({ type: 'disabled' });

      sim.clearRequests();
      await turn(alice, id, 'third question', 'kimi-k3', { temperature: 0.4, reasoningEffort: 'low' });
      const pinned = sim.requests().find((r) => r.stream)!;
      expect(pinned.model).toBe('kimi-k3');
      expect(pinned.status).toBe(200);
      expect(pinned.params).not.toHaveProperty('temperature');
      const saved = await prisma.conversation.findUniqueOrThrow({ where: { id } });
      expect(saved.model).toBe('kimi-k3'); // remembered per conversation
    });

    it('streams reasoning before the answer for thinking models and records reasoning tokens', async () => {
      const id = crypto.randomUUID();
      sim.clearRequests();
      const chunks = await turn(alice, id, 'Think about prime numbers', 'kimi-k3'); // K3 always thinks
      const firstReasoning = chunks.findIndex((c) => c.type === 'reasoning-delta');
      const firstText = chunks.findIndex((c) => c.type === 'text-delta');
      expect(firstReasoning).toBeGreaterThan(-1);
      expect(firstReasoning).toBeLessThan(firstText);
      const reported = sim.requests().find((r) => r.stream)!.usage!;
      const row = await prisma.usage.findFirstOrThrow({ where: { conversationId: id, purpose: 'chat' } });
      expect(row.reasoningTokens).toBe(reported.completion_tokens_details?.reasoning_tokens);
      expect(row.reasoningTokens).toBeGreaterThan(0);
      const answer = await prisma.message.findFirstOrThrow({ where: { conversationId: id, role: 'assistant' } });
      expect((answer.parts as Array<{ type: string }>).map((p) => p.type)).toEqual(['reasoning', 'text']);
    });

    it('regenerate and edit add branches next to what they redo (nothing is replaced or duplicated)', async () => {
      const id = crypto.randomUUID();
      await turn(alice, id, 'original question');
      const regen = await post(alice, { id, trigger: 'regenerate-message', settings: settings() });
      expect(regen.status).toBe(200);
      await regen.text();
      let rows = await prisma.message.findMany({ where: { conversationId: id }, orderBy: { seq: 'asc' } });
      expect(rows.map((r) => [r.role, r.parentId])).toEqual([
        ['user', null],
        ['assistant', rows[0]!.id],
        ['assistant', rows[0]!.id],
      ]);

      const edited = await post(alice, {
        id,
        trigger: 'submit-message',
        editOf: rows[0]!.id,
        message: userMessage('edited question'),
        settings: settings(),
      });
      expect(textOf(parseSse(await edited.text()))).toContain('edited question');
      rows = await prisma.message.findMany({ where: { conversationId: id }, orderBy: { seq: 'asc' } });
      expect(rows.map((r) => r.role)).toEqual(['user', 'assistant', 'assistant', 'user', 'assistant']);
      expect(rows[3]!.parentId).toBeNull();
      expect(JSON.stringify(rows[3]!.parts)).toContain('edited question');
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id } })).leafId).toBe(rows[4]!.id);
    });

    it('stop aborts upstream, keeps the partial answer marked stopped, and records its usage', async () => {
      const id = crypto.randomUUID();
      sim.clearRequests();
      sim.queueFaults('stall:5000', 1, CONTENT_MODEL);
      const res = await post(alice, {
        id,
        trigger: 'submit-message',
        message: userMessage('Please reply with 500 tokens'),
        settings: settings(CONTENT_MODEL, NO_THINKING),
      });
      const { soFar, reader } = await readUntil(res, (text) => text.includes('"text-delta"'));
      const stoppedAt = Date.now();
      expect((await stop.POST!(req(alice, `/api/chat/${id}/stop`, { method: 'POST' }), ctx(id))).status).toBe(204);
      let rest = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) rest += next.value;
      expect(Date.now() - stoppedAt).toBeLessThan(2_000);
      const partial = textOf(parseSse(soFar + rest));

      const answer = await waitFor(() => prisma.message.findFirst({ where: { conversationId: id, role: 'assistant', status: 'stopped' } }));
      expect(answer.parts).toEqual([{ type: 'text', text: partial }]);
      await waitFor(async () => sim.requests().find((r) => r.stream)?.aborted);
      const usage = await prisma.usage.findFirstOrThrow({ where: { conversationId: id, purpose: 'chat' } });
      expect(usage.outcome).toBe('stopped');
      expect(usage.completionTokens).toBeGreaterThan(0);
    });

    it('a turn sent right after a Stop shares the first turn’s title call, and sends its title', async () => {
      const id = crypto.randomUUID();
      sim.clearRequests();
      sim.queueFaults('stall:5000', 1, CONTENT_MODEL); // the first answer, stopped
      sim.queueFaults('slow_first:1500', 1, CONTENT_MODEL); // its title call, still running at the next turn
      const res = await post(alice, {
        id,
        trigger: 'submit-message',
        message: userMessage('Which rivers cross the Alps into Italy?'),
        settings: settings(CONTENT_MODEL, NO_THINKING),
      });
      const { reader } = await readUntil(res, (text) => text.includes('"text-delta"'));
      expect((await stop.POST!(req(alice, `/api/chat/${id}/stop`, { method: 'POST' }), ctx(id))).status).toBe(204);
      while (!(await reader.read()).done) {}
      // The title call reaches Kimi (and takes the slow fault) before the next turn does: both start at
      // about the same moment, so without this the order of the two requests would be left to chance.
      await waitFor(async () => sim.requests().some(isTitleCall));
      const chunks = await turn(alice, id, 'And which of them reach the Adriatic?', CONTENT_MODEL, NO_THINKING);
      expect(chunks.find((c) => c.type === 'data-title')).toMatchObject({ data: { title: 'Which rivers cross the Alps into' } });
      expect(sim.requests().filter(isTitleCall)).toHaveLength(1);
      expect(await prisma.usage.count({ where: { conversationId: id, purpose: 'title' } })).toBe(1);
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id } })).title).toBe('Which rivers cross the Alps into');
    });

    it('finishes and saves the answer when the browser goes away mid-stream', async () => {
      const id = crypto.randomUUID();
      sim.queueFaults('stall:300', 1, CONTENT_MODEL);
      const res = await post(alice, {
        id,
        trigger: 'submit-message',
        message: userMessage('Please reply with 200 tokens'),
        settings: settings(CONTENT_MODEL, NO_THINKING),
      });
      const { reader } = await readUntil(res, (text) => text.includes('"text-delta"'));
      await reader.cancel();
      const answer = await waitFor(() => prisma.message.findFirst({ where: { conversationId: id, role: 'assistant', status: 'complete' } }));
      const { countTokens } = await import('@/lib/kimi/tokenizer');
      expect(countTokens((answer.parts as Array<{ text: string }>)[0]!.text)).toBe(200);
      expect(await prisma.usage.count({ where: { conversationId: id, purpose: 'chat', outcome: 'ok' } })).toBe(1);
      // The title call (same model, started with the answer's first words) runs on without the browser too; let it finish so it
      // cannot take the next test's queued fault.
      await waitFor(() => prisma.usage.findFirst({ where: { conversationId: id, purpose: 'title' } }));
    });

    it('asks for the title from the question while the answer streams, and sends it before the answer ends', async () => {
      const id = crypto.randomUUID();
      sim.clearRequests();
      // The answer pauses after its first words (the simulator is unpaced here), as a real one streams on.
      sim.queueFaults('stall:1500', 1, CONTENT_MODEL);
      const chunks = await turn(alice, id, 'Which lighthouses still have keepers on duty today?', CONTENT_MODEL, NO_THINKING);
      const types = chunks.map((c) => c.type);
      expect(types.indexOf('data-title')).toBeGreaterThan(types.indexOf('text-start'));
      expect(types.indexOf('data-title')).toBeLessThan(types.indexOf('text-end'));
      const titleCall = sim.requests().find((r) => JSON.stringify(r.messages).includes('conversation titles'));
      expect(titleCall).toBeTruthy();
      // The question, not the answer: the title call can start before the answer exists.
      expect(JSON.stringify(titleCall)).toContain('User: Which lighthouses still have keepers on duty today?');
      expect(JSON.stringify(titleCall)).not.toContain('Assistant:');
      const convo = await prisma.conversation.findUniqueOrThrow({ where: { id } });
      expect(convo.title).toBe('Which lighthouses still have keepers on');
      // Its ledger row is exact: Kimi's own counts for the title call.
      const row = await prisma.usage.findFirstOrThrow({ where: { conversationId: id, purpose: 'title' } });
      expect({ prompt: row.promptTokens, completion: row.completionTokens, estimated: row.estimated, outcome: row.outcome }).toEqual({
        prompt: titleCall!.usage!.prompt_tokens,
        completion: titleCall!.usage!.completion_tokens,
        estimated: false,
        outcome: 'ok',
      });
      expect(row.requestId).toBe(titleCall!.id);
    });

    /** Bob's first turn in a new conversation, once it has reached Kimi, which takes 1.5 s to its first words. */
    const slowTurnOfBob = async (question: string) => {
      sim.queueFaults('slow_first:1500', 1, CONTENT_MODEL);
      const id = crypto.randomUUID();
      const res = await post(bob, { id, trigger: 'submit-message', message: userMessage(question), settings: settings(CONTENT_MODEL, NO_THINKING) });
      const atKimi = await waitFor(async () => sim.requests().find((r) => JSON.stringify(r.messages).includes(question)));
      // When Bob's first words reach this test (read alongside whatever the test does next).
      const firstWords = readUntil(res, (text) => text.includes('"text-delta"')).then((read) => ({ ...read, at: Date.now() }));
      return { earlierId: id, earlier: firstWords, arrivedAt: Date.parse(atKimi.time) };
    };

    it('a new conversation’s title waits for the turns that arrived before it to have their first words', async () => {
      sim.clearRequests();
      const { earlierId, earlier, arrivedAt } = await slowTurnOfBob('Which ferries cross the Baltic in winter?');
      // Alice's answer, in a new conversation, has its first words long before Bob's and pauses (her title is
      // not asked for yet), then streams on past his.
      sim.queueFaults('stall:2500', 1, CONTENT_MODEL);
      const id = crypto.randomUUID();
      const res = await post(alice, {
        id,
        trigger: 'submit-message',
        message: userMessage('Which lakes in Finland freeze first each autumn?'),
        settings: settings(CONTENT_MODEL, NO_THINKING),
      });
      const mine = await readUntil(res, (text) => text.includes('"text-delta"'));
      const myFirstWordsAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sim.requests().filter(isTitleCall)).toEqual([]);
      // Bob's first words go out; then Alice's title is asked for, and her stream ends with it.
      const theirs = await earlier;
      let whole = mine.soFar;
      for (let read = await mine.reader.read(); !read.done; read = await mine.reader.read()) whole += read.value;
      expect(parseSse(whole).find((c) => c.type === 'data-title')).toMatchObject({ data: { title: 'Which lakes in Finland freeze first' } });
      const asked = sim.requests().find((r) => isTitleCall(r) && JSON.stringify(r.messages).includes('User: Which lakes in Finland freeze first'));
      // Asked for when Bob's first words came (Kimi's 1.5 s after his request), not at her title's 2 s limit.
      const askedAt = Date.parse(asked!.time);
      expect(askedAt).toBeGreaterThanOrEqual(arrivedAt + 1_450);
      expect(askedAt).toBeLessThan(myFirstWordsAt + 1_900);
      while (!(await theirs.reader.read()).done) {}
      // Bob's own title call runs on after his stream; let it finish so it cannot take a later test's fault.
      await waitFor(() => prisma.usage.findFirst({ where: { conversationId: earlierId, purpose: 'title' } }));
    });

    it('once its answer has ended, a title waits no longer for earlier turns', async () => {
      sim.clearRequests();
      const { earlierId, earlier } = await slowTurnOfBob('Which islands in the Baltic have no cars?');
      // Alice's short answer ends at once; her stream waits only for her title's own call, not for Bob.
      const chunks = await turn(alice, crypto.randomUUID(), 'Which rivers in Estonia reach the sea?', CONTENT_MODEL, NO_THINKING);
      const aliceDone = Date.now();
      expect(chunks.find((c) => c.type === 'data-title')).toMatchObject({ data: { title: 'Which rivers in Estonia reach the' } });
      expect(aliceDone).toBeLessThan((await earlier).at);
      await waitFor(() => prisma.usage.findFirst({ where: { conversationId: earlierId, purpose: 'title' } }));
    });

    it('a refused title call leaves the question as the title, and a ledger row with no tokens', async () => {
      const id = crypto.randomUUID();
      sim.clearRequests();
      sim.queueFaults('stall:1500', 1, CONTENT_MODEL); // the answer
      sim.queueFaults('content_filter', 1, CONTENT_MODEL); // its title call, refused outright
      const question = 'Which glaciers in the Alps are still growing this year?';
      const chunks = await turn(alice, id, question, CONTENT_MODEL, NO_THINKING);
      expect(chunks.find((c) => c.type === 'data-title')).toMatchObject({ data: { title: question } });
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id } })).title).toBe(question);
      const row = await prisma.usage.findFirstOrThrow({ where: { conversationId: id, purpose: 'title' } });
      expect(row).toMatchObject({ outcome: 'error', errorType: 'content_filter', promptTokens: 0, completionTokens: 0, estimated: false });
    });

    it('lets a reload resume the live answer from its start', async () => {
      const id = crypto.randomUUID();
      sim.queueFaults('stall:400', 1, CONTENT_MODEL);
      const res = await post(alice, {
        id,
        trigger: 'submit-message',
        message: userMessage('Please reply with 100 tokens'),
        settings: settings(CONTENT_MODEL, NO_THINKING),
      });
      const original = readUntil(res, () => false);
      await waitFor(async () => {
        const detail = (await (await one.GET!(req(alice, `/api/conversations/${id}`), ctx(id))).json()) as { streaming?: boolean };
        return detail.streaming;
      });
      expect((await stream.GET!(req(bob, `/api/chat/${id}/stream`), ctx(id))).status).toBe(204); // not Bob's
      const resumed = await stream.GET!(req(alice, `/api/chat/${id}/stream`), ctx(id));
      expect(resumed.status).toBe(200);
      const resumedText = textOf(parseSse(await resumed.text()));
      const originalText = textOf(parseSse((await original).soFar));
      expect(resumedText).toBe(originalText);
      expect(resumedText.length).toBeGreaterThan(100);
      expect((await stream.GET!(req(alice, `/api/chat/${id}/stream`), ctx(id))).status).toBe(204); // finished
    });

    it('turns an upstream 429 into a clear error in the thread and keeps the user message', async () => {
      const id = crypto.randomUUID();
      sim.queueFaults('rate_limit:30', 1, CONTENT_MODEL); // a wait too long to retry within the turn
      const chunks = await turn(alice, id, 'a message that must not be lost', CONTENT_MODEL, NO_THINKING);
      const meta = chunks.find((c) => c.type === 'message-metadata') as unknown as {
        messageMetadata: { status: string; error: { code: string; params?: { retryAfterSeconds?: number }; retryable: boolean } };
      };
      expect(meta.messageMetadata.status).toBe('error');
      expect(meta.messageMetadata.error.code).toBe('rate_limited');
      expect(meta.messageMetadata.error.params?.retryAfterSeconds).toBe(30);
      expect(meta.messageMetadata.error.retryable).toBe(true);
      const rows = await prisma.message.findMany({ where: { conversationId: id }, orderBy: { seq: 'asc' } });
      expect(JSON.stringify(rows[0]?.parts)).toContain('a message that must not be lost');
      expect(rows[1]?.status).toBe('error');
      // A refused request costs nothing: the row says so with zero tokens, not an estimate.
      const usage = await prisma.usage.findMany({ where: { conversationId: id } });
      expect(usage.map((u) => [u.outcome, u.errorType, u.promptTokens, u.completionTokens, u.estimated, Number(u.cost)])).toEqual([
        ['error', 'rate_limited', 0, 0, false, 0],
      ]);
    });

    it('refuses a prompt over the window before calling Kimi, naming the model that fits', async () => {
      // A message alone cannot fill K2.6's 256k window (messages are capped at 100,000 characters): a
      // document does, counted from its stored token count as on every turn.
      const k26 = getModel('kimi-k2.6');
      const id = crypto.randomUUID();
      await prisma.conversation.create({ data: { id, userId: alice.id, model: k26.id } });
      const sha256 = crypto.randomUUID().replace(/-/g, '').padEnd(64, '0');
      await prisma.extractedText.create({
        data: { sha256, mediaType: 'text/plain', bytes: 20, text: 'A very long report.', tokens: k26.contextWindow, extractor: 'local' },
      });
      await prisma.document.create({ data: { userId: alice.id, conversationId: id, name: 'report.txt', sha256 } });
      sim.clearRequests();
      const res = await post(alice, { id, trigger: 'submit-message', message: userMessage('Summarise the report.'), settings: settings(k26.id) });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; params: Record<string, unknown> } };
      expect(body.error.code).toBe('context_too_long');
      expect(body.error.params.model).toBe(k26.id);
      expect(body.error.params.window).toBe(k26.contextWindow);
      expect(Number(body.error.params.over)).toBeGreaterThan(0);
      expect(body.error.params.suggestion).toBe('kimi-k3'); // the served model whose window fits
      expect(sim.requests()).toHaveLength(0);
      expect(await prisma.message.count({ where: { conversationId: id } })).toBe(0);
    });

    it('keeps every conversation private to its owner', async () => {
      const id = crypto.randomUUID();
      await turn(alice, id, 'private thoughts');
      expect((await one.GET!(req(bob, `/api/conversations/${id}`), ctx(id))).status).toBe(404);
      expect(
        (
          await one.PATCH!(
            new Request(`${ORIGIN}/api/conversations/${id}`, {
              method: 'PATCH',
              headers: { cookie: bob.cookie },
              body: JSON.stringify({ title: 'mine now' }),
            }),
            ctx(id),
          )
        ).status,
      ).toBe(404);
      expect((await one.DELETE!(req(bob, `/api/conversations/${id}`, { method: 'DELETE' }), ctx(id))).status).toBe(404);
      const hijack = await post(bob, { id, trigger: 'submit-message', message: userMessage('let me in'), settings: settings() });
      expect(hijack.status).toBe(404);
      const bobsList = (await (await list.GET!(req(bob, '/api/conversations'))).json()) as { items: Array<{ id: string }> };
      expect(bobsList.items.map((c) => c.id)).not.toContain(id);
      expect((await one.GET!(req(null, `/api/conversations/${id}`), ctx(id))).status).toBe(401);
      expect((await post({ cookie: '' }, { id, trigger: 'regenerate-message', settings: settings() })).status).toBe(401);
      expect(await prisma.message.count({ where: { conversationId: id } })).toBe(2);
    });

    it('lists, searches, pages, renames and deletes conversations', async () => {
      const carol = await signedIn('carol@example.com');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = crypto.randomUUID();
        ids.push(id);
        await turn(carol, id, `topic number ${i}`);
      }
      const page = async (query: string) =>
        (await (await list.GET!(req(carol, `/api/conversations${query}`))).json()) as {
          items: Array<{ id: string; title: string }>;
          nextCursor: string | null;
        };
      const first = await page('?limit=3');
      expect(first.items.map((c) => c.id)).toEqual([ids[4], ids[3], ids[2]]);
      const second = await page(`?limit=3&cursor=${first.nextCursor}`);
      expect(second.items.map((c) => c.id)).toEqual([ids[1], ids[0]]);
      expect(second.nextCursor).toBeNull();

      const patch = (id: string, body: object) =>
        one.PATCH!(
          new Request(`${ORIGIN}/api/conversations/${id}`, { method: 'PATCH', headers: { cookie: carol.cookie }, body: JSON.stringify(body) }),
          ctx(id),
        );
      expect((await patch(ids[1]!, { title: 'Quarterly Budget' })).status).toBe(204);
      const found = await page('?q=budget');
      expect(found.items.map((c) => c.title)).toEqual(['Quarterly Budget']);

      expect((await one.DELETE!(req(carol, `/api/conversations/${ids[1]}`, { method: 'DELETE' }), ctx(ids[1]!))).status).toBe(204);
      expect((await page('?q=budget')).items).toEqual([]);
      expect((await one.GET!(req(carol, `/api/conversations/${ids[1]}`), ctx(ids[1]!))).status).toBe(404);
      expect((await patch(ids[0]!, { settings: { model: 'kimi-k3', systemPrompt: 'Be brief', temperature: null } })).status).toBe(204);
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: ids[0]! } })).model).toBe('kimi-k3');
      expect((await patch(ids[0]!, { settings: { model: 'no-such-model', systemPrompt: '', temperature: null } })).status).toBe(400);
      // A retired model is not served: a conversation cannot be switched to it.
      expect((await patch(ids[0]!, { settings: { model: 'kimi-k2.5', systemPrompt: '', temperature: null } })).status).toBe(400);
    });
  });
}

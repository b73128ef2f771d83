// Kimi as it is today (issue 10), end to end below the browser: the real chat route, a real database and
// the simulator in its default (December 2026) mode over real HTTP. The simulator enforces Kimi's rules
// (fixed sampling, thinking and reasoning_effort), so a request the app should not send fails the turn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_MODELS, getModel } from '@/lib/kimi/catalog';
import { computeCost } from '@/lib/usage/cost';
import type { Simulator } from '@/sim';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { metadataOf, parseSse, textOf } from '@/tests/support/ui-stream';

type Settings = { model: string; thinking: boolean; reasoningEffort: 'low' | 'high' | 'max' | null; temperature: number | null };

const EFFORTS = [null, 'low', 'high', 'max'] as const;

/** Every combination the UI can produce: each picker entry × thinking × effort × temperature. */
function combinations(): Settings[] {
  const all: Settings[] = [];
  for (const model of ['auto', ...CURRENT_MODELS.map((m) => m.id)]) {
    for (const thinking of [true, false]) {
      for (const reasoningEffort of EFFORTS) {
        for (const temperature of [null, 0.3]) all.push({ model, thinking, reasoningEffort, temperature });
      }
    }
  }
  return all;
}

export function kimiTodaySuite(kind: 'pglite' | 'postgres'): void {
  describe(`Kimi today on ${kind}`, () => {
    let h: ChatHarness;
    let sim: Simulator;
    let prisma: ChatHarness['prisma'];
    let alice: Who;

    beforeAll(async () => {
      h = await openChatHarness(kind);
      ({ sim, prisma } = h);
      alice = await h.signedIn(`today-${kind}@example.com`);
    });
    afterAll(() => h?.close());

    it('every model × thinking × effort × temperature the UI can produce is a request Kimi accepts', async () => {
      const table = combinations();
      expect(table).toHaveLength(5 * 2 * 4 * 2);
      for (const s of table) {
        sim.clearRequests();
        const id = crypto.randomUUID();
        const chunks = await h.turn(alice, id, `combination ${JSON.stringify(s)}`, s.model, s);
        const where = JSON.stringify(s);
        expect(
          chunks.filter((c) => c.type === 'error'),
          where,
        ).toEqual([]);
        expect(metadataOf(chunks).error, where).toBeUndefined();
        expect(textOf(chunks), where).toContain('combination');

        const sent = h.chatCalls()[0]?.params as Record<string, unknown> | undefined;
        expect(sent, where).toBeDefined();
        const served = getModel(String(sent?.model));
        // What each model may be sent (kimi-api.md): never a temperature today, never thinking with an effort.
        expect(sent, where).not.toHaveProperty('temperature');
        expect('thinking' in sent! && 'reasoning_effort' in sent!, where).toBe(false);
        if (served.thinking === 'optional') expect(sent?.thinking, where).toEqual({ type: s.thinking ? 'enabled' : 'disabled' });
        else expect(sent, where).not.toHaveProperty('thinking');
        if (served.reasoningEfforts && s.reasoningEffort) expect(sent?.reasoning_effort, where).toBe(s.reasoningEffort);
        else expect(sent, where).not.toHaveProperty('reasoning_effort');
        // The whole default answer budget, sent explicitly (no silent 1,024/4,096 caps).
        expect(sent?.max_completion_tokens ?? sent?.max_tokens, where).toBe(served.defaultMaxTokens);
        if (s.model === 'auto') expect(served.id, where).toBe('kimi-k2.6');
        else expect(served.id, where).toBe(s.model);

        // Reasoning streams visibly on thinking calls, and is stored with the answer.
        const thinks = served.thinking === 'always' || (served.thinking === 'optional' && s.thinking);
        expect(textOf(chunks, 'reasoning-delta') !== '', where).toBe(thinks);
      }
    }, 120_000);

    async function attachTokens(conversationId: string, tokens: number): Promise<void> {
      const sha256 = crypto.randomUUID().replace(/-/g, '').padEnd(64, '0');
      await prisma.extractedText.create({ data: { sha256, mediaType: 'text/plain', bytes: 10, text: 'A short note.', tokens, extractor: 'local' } });
      await prisma.document.create({ data: { userId: alice.id, conversationId, name: 'n.txt', sha256 } });
    }

    async function meter(conversationId: string, model: string) {
      const route = (await import('@/app/api/conversations/[id]/context/route')) as unknown as {
        GET: (req: Request, ctx: unknown) => Promise<Response>;
      };
      const res = await route.GET(
        h.req(alice, `/api/conversations/${conversationId}/context?model=${model}&draft=${encodeURIComponent('Which model?')}`),
        h.ctx(conversationId),
      );
      expect(res.status).toBe(200);
      return (await res.json()) as { servedModel: string | null; reservedTokens: number; totalTokens: number; fits: boolean };
    }

    it("Auto's choice at the 256k boundary: K2.6 while prompt + its 32k budget fit, K3 one token later; the meter agrees", async () => {
      const k26 = getModel('kimi-k2.6');
      const limit = k26.contextWindow - k26.defaultMaxTokens;
      for (const [extra, expected] of [
        [0, 'kimi-k2.6'],
        [1, 'kimi-k3'],
      ] as const) {
        const id = crypto.randomUUID();
        await prisma.conversation.create({ data: { id, userId: alice.id, model: 'auto' } });
        // A document whose stored count puts the prompt exactly at the boundary (+ extra).
        await attachTokens(id, 1000);
        const probe = await meter(id, 'auto');
        const promptTokens = probe.totalTokens - probe.reservedTokens;
        await prisma.extractedText.updateMany({
          where: { documents: { some: { conversationId: id } } },
          data: { tokens: 1000 + limit - promptTokens + extra },
        });
        const measured = await meter(id, 'auto');
        expect(measured.totalTokens - measured.reservedTokens).toBe(limit + extra);
        expect(measured.servedModel).toBe(expected);
        expect(measured.reservedTokens).toBe(getModel(expected).defaultMaxTokens);

        sim.clearRequests();
        const chunks = await h.turn(alice, id, 'Which model?', 'auto');
        expect(metadataOf(chunks).model).toBe(expected);
        expect(h.chatCalls()[0]?.model).toBe(expected);
        const usage = await prisma.usage.findFirstOrThrow({ where: { conversationId: id, purpose: 'chat' } });
        expect([usage.requestedModel, usage.servedModel]).toEqual(['auto', expected]);
      }
    });

    it('an answer cut at its budget is marked; Continue extends the same message; the ledger has both calls', async () => {
      const id = crypto.randomUUID();
      const ask = 'Please reply with 300 tokens; cut off after 200 tokens';
      const first = await h.turn(alice, id, ask, 'kimi-k2.6', { thinking: false });
      const cut = metadataOf(first);
      expect(cut.cutReason).toBe('length');
      const answer = await prisma.message.findFirstOrThrow({ where: { conversationId: id, role: 'assistant' } });
      expect([answer.status, answer.cutReason]).toEqual(['complete', 'length']);
      const firstText = textOf(first);
      expect(firstText.length).toBeGreaterThan(0);
      expect((await prisma.usage.findFirstOrThrow({ where: { messageId: answer.id } })).outcome).toBe('length');

      sim.clearRequests();
      const res = await h.post(alice, {
        id,
        trigger: 'continue-message',
        continueOf: answer.id,
        settings: h.settings('kimi-k2.6', { thinking: false }),
      });
      expect(res.status).toBe(200);
      const more = parseSse(await res.text());
      expect((more.find((c) => c.type === 'start') as { messageId?: string }).messageId).toBe(answer.id);
      // Partial mode: the cut text goes back as the last, partial assistant message.
      const sent = h.chatCalls()[0]?.messages as Array<{ role: string; content: string; partial?: boolean }>;
      expect(sent.at(-1)).toMatchObject({ role: 'assistant', content: firstText, partial: true });
      const done = metadataOf(more);
      expect(done.cutReason).toBeUndefined();
      const details = done.details as { calls: number; completionTokens: number; cost: string };
      expect(details.calls).toBe(2);

      const saved = await prisma.message.findUniqueOrThrow({ where: { id: answer.id } });
      expect([saved.status, saved.cutReason]).toEqual(['complete', null]);
      const savedText = (saved.parts as Array<{ type: string; text: string }>)
        .filter((p) => p.type === 'text')
        .map((p) => p.text)
        .join('');
      expect(savedText).toBe(firstText + textOf(more));
      expect(await prisma.message.count({ where: { conversationId: id } })).toBe(2);

      const rows = await prisma.usage.findMany({ where: { messageId: answer.id }, orderBy: { id: 'asc' } });
      expect(rows.map((r) => r.outcome)).toEqual(['length', 'ok']);
      expect(details.completionTokens).toBe(rows[0]!.completionTokens + rows[1]!.completionTokens);
      expect(details.cost).toBe(rows[0]!.cost.plus(rows[1]!.cost).toString());

      // Only a cut last answer can be continued.
      const again = await h.post(alice, { id, trigger: 'continue-message', continueOf: answer.id, settings: h.settings('kimi-k2.6') });
      expect(again.status).toBe(409);
    });

    it("an answer Kimi's filter stops is marked content_filter (no Continue), and the ledger says so", async () => {
      const id = crypto.randomUUID();
      const chunks = await h.turn(alice, id, 'Please reply with 100 tokens; filter the answer after 20 tokens', 'kimi-k2.6', { thinking: false });
      expect(metadataOf(chunks).cutReason).toBe('content_filter');
      const answer = await prisma.message.findFirstOrThrow({ where: { conversationId: id, role: 'assistant' } });
      expect([answer.status, answer.cutReason]).toEqual(['complete', 'content_filter']);
      expect((await prisma.usage.findFirstOrThrow({ where: { messageId: answer.id } })).outcome).toBe('content_filter');
      const refused = await h.post(alice, { id, trigger: 'continue-message', continueOf: answer.id, settings: h.settings('kimi-k2.6') });
      expect(refused.status).toBe(409);
    });

    it('a conversation on a retired model opens on the instance default with its old model named; sending it never reaches Kimi', async () => {
      const id = crypto.randomUUID();
      await prisma.conversation.create({ data: { id, userId: alice.id, model: 'moonshot-v1-8k', title: 'old' } });
      const detail = await (await h.routes.one.GET!(h.req(alice, `/api/conversations/${id}`), h.ctx(id))).json();
      expect(detail.retiredModel).toBe('moonshot-v1-8k');
      expect(detail.settings.model).toBe('auto');

      sim.clearRequests();
      const refused = await h.post(alice, {
        id,
        trigger: 'submit-message',
        message: h.userMessage('still there?'),
        settings: h.settings('moonshot-v1-8k'),
      });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error).toMatchObject({ code: 'model_not_found', params: { model: 'moonshot-v1-8k' } });
      expect(h.chatCalls()).toHaveLength(0);

      const chunks = await h.turn(alice, id, 'still there?', detail.settings.model);
      expect(metadataOf(chunks).model).toBe('kimi-k2.6');
    });

    it('K3 turns cost exactly what the price table says, and the answer details are its ledger row', async () => {
      const id = crypto.randomUUID();
      const chunks = await h.turn(alice, id, 'How much does this cost?', 'kimi-k3', { reasoningEffort: 'low' });
      const details = metadataOf(chunks).details as Record<string, unknown>;
      const row = await prisma.usage.findFirstOrThrow({ where: { conversationId: id, purpose: 'chat' } });
      expect(row.servedModel).toBe('kimi-k3');
      expect(row.reasoningTokens).toBeGreaterThan(0);
      const price = await prisma.price.findFirstOrThrow({ where: { model: 'kimi-k3', currency: row.currency }, orderBy: { effectiveFrom: 'desc' } });
      const expected = computeCost(
        { promptTokens: row.promptTokens, cachedTokens: row.cachedTokens, completionTokens: row.completionTokens },
        { cacheHit: price.inputCacheHit?.toString() ?? null, input: price.input.toString(), output: price.output.toString() },
      );
      expect(row.cost.equals(expected)).toBe(true);
      expect(Number(row.cost)).toBeGreaterThan(0);
      expect(details).toEqual({
        model: 'kimi-k3',
        requestedModel: 'kimi-k3',
        promptTokens: row.promptTokens,
        cachedTokens: row.cachedTokens,
        completionTokens: row.completionTokens,
        reasoningTokens: row.reasoningTokens,
        cost: row.cost.toString(),
        currency: row.currency,
        ttftMs: row.ttftMs,
        durationMs: row.durationMs,
        calls: 1,
        estimated: false,
        webSearches: 0,
      });
      // The same details come back with the conversation.
      const detail = await (await h.routes.one.GET!(h.req(alice, `/api/conversations/${id}`), h.ctx(id))).json();
      expect(detail.messages[1].metadata.details).toEqual(details);
    });
  });
}

// Web search (issue 14) below the browser: the real chat route, a real database and the simulator's
// `$web_search` over real HTTP. One turn runs the whole round trip; every upstream call is its own ledger row
// linked to the answer, each search's fee (the `$web_search` price row) is in the cost, the CSV and the quota.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_SEARCH_FEES, WEB_SEARCH_PRICE_MODEL } from '@/lib/kimi/web-search';
import { computeCost } from '@/lib/usage/cost';
import type { Simulator } from '@/sim';
import { searchArguments } from '@/sim/web-search';
import { type ChatHarness, openChatHarness, type Who, waitFor } from '@/tests/support/chat-harness';
import { parseCsvRecords } from '@/tests/support/csv';
import { metadataOf, readUntil, textOf } from '@/tests/support/ui-stream';

export function webSearchSuite(kind: 'pglite' | 'postgres'): void {
  describe(`web search on ${kind}`, () => {
    let h: ChatHarness;
    let sim: Simulator;
    let prisma: ChatHarness['prisma'];
    let alice: Who;

    beforeAll(async () => {
      h = await openChatHarness(kind);
      ({ sim, prisma } = h);
      alice = await h.signedIn(`search-${kind}@example.com`);
    });
    afterAll(() => h?.close());

    const rowsOf = (messageId: string) => prisma.usage.findMany({ where: { messageId }, orderBy: { id: 'asc' } });

    it('off by default: no tool is offered and the conversation remembers the toggle', async () => {
      sim.clearRequests();
      const id = crypto.randomUUID();
      const chunks = await h.turn(alice, id, 'search the web for kimi', 'kimi-k2.6');
      expect(chunks.filter((c) => c.type === 'error')).toEqual([]);
      expect(h.chatCalls()).toHaveLength(1);
      expect(h.chatCalls()[0]?.params.tools).toBeUndefined();
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id } })).webSearch).toBe(false);
    });

    it('K2.6: thinking off for the search turn, two searches, three ledger rows linked to the answer with the fee', async () => {
      sim.clearRequests();
      const id = crypto.randomUUID();
      const question = 'search the web 2 times for the news today';
      const chunks = await h.turn(alice, id, question, 'kimi-k2.6', { thinking: true, webSearch: true });
      expect(chunks.filter((c) => c.type === 'error')).toEqual([]);
      expect(textOf(chunks)).toBe(`Searched the web 2 times for "${question}". Here is what I found.`);

      const calls = h.chatCalls();
      expect(calls).toHaveLength(3);
      for (const call of calls) expect(call.params.thinking).toEqual({ type: 'disabled' });
      expect(calls[0]?.params.tools).toEqual([{ type: 'builtin_function', function: { name: '$web_search' } }]);
      // The echo: each tool message is the call's arguments, unchanged, named $web_search.
      const last = (calls[2]?.messages ?? []) as Array<Record<string, unknown>>;
      const tools = last.filter((m) => m.role === 'tool');
      expect(tools.map((m) => m.content)).toEqual([searchArguments(question, 1), searchArguments(question, 2)]);
      expect(tools.every((m) => m.name === '$web_search')).toBe(true);

      const answer = (await prisma.message.findFirstOrThrow({ where: { conversationId: id, role: 'assistant' } })).id;
      const rows = await rowsOf(answer);
      expect(rows.map((r) => r.webSearches)).toEqual([1, 1, 0]);
      expect(rows.map((r) => r.promptTokens)).toEqual(calls.map((c) => c.usage?.prompt_tokens));
      const fee = WEB_SEARCH_FEES.CNY;
      const [price] = await prisma.price.findMany({ where: { model: 'kimi-k2.6', currency: 'CNY' }, orderBy: { effectiveFrom: 'desc' } });
      for (const row of rows) {
        const tokens = computeCost(row, {
          cacheHit: price!.inputCacheHit?.toFixed() ?? null,
          input: price!.input.toFixed(),
          output: price!.output.toFixed(),
        });
        expect(Number(row.cost)).toBeCloseTo(Number(tokens) + row.webSearches * Number(fee), 10);
      }
      const details = metadataOf(chunks).details as { webSearches: number; calls: number };
      expect(details).toMatchObject({ webSearches: 2, calls: 3 });
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id } })).webSearch).toBe(true);

      // After a reload the details still say how many searches.
      const one = await h.routes.one.GET!(h.req(alice, `/api/conversations/${id}`), h.ctx(id));
      const detail = (await one.json()) as {
        settings: { webSearch: boolean };
        messages: Array<{ metadata?: { details?: { webSearches: number } } }>;
      };
      expect(detail.settings.webSearch).toBe(true);
      expect(detail.messages.at(-1)?.metadata?.details?.webSearches).toBe(2);
    });

    it('the search fee is a seeded price row (its input is the fee per search), editable like any price', async () => {
      const fee = await prisma.price.findFirstOrThrow({ where: { model: WEB_SEARCH_PRICE_MODEL, currency: 'CNY' } });
      expect(fee.input.toFixed()).toBe('0.03');
    });

    it('always-thinking K3: a refused search falls back to K2.6 (thinking off) with a note; accepted, it searches thinking', async () => {
      sim.setWebSearchThinking('refuse');
      sim.clearRequests();
      const id = crypto.randomUUID();
      const chunks = await h.turn(alice, id, 'search the web about kimi k3', 'kimi-k3', { webSearch: true });
      expect(chunks.filter((c) => c.type === 'error')).toEqual([]);
      expect(textOf(chunks)).toMatch(/^Searched the web 1 times/);
      expect(metadataOf(chunks).searchFallback).toEqual({ from: 'kimi-k3', to: 'kimi-k2.6' });
      const calls = h.chatCalls();
      expect(calls.map((c) => [c.model, c.status])).toEqual([
        ['kimi-k3', 400],
        ['kimi-k2.6', 200],
        ['kimi-k2.6', 200],
      ]);
      const answer = (await prisma.message.findFirstOrThrow({ where: { conversationId: id, role: 'assistant' } })).id;
      expect((await rowsOf(answer)).map((r) => [r.servedModel, r.webSearches])).toEqual([
        ['kimi-k2.6', 1],
        ['kimi-k2.6', 0],
      ]);

      sim.setWebSearchThinking('accept');
      sim.clearRequests();
      const id2 = crypto.randomUUID();
      const accepted = await h.turn(alice, id2, 'search the web about kimi k3 again', 'kimi-k3', { webSearch: true });
      expect(accepted.filter((c) => c.type === 'error')).toEqual([]);
      expect(metadataOf(accepted).searchFallback).toBeUndefined();
      const second = h.chatCalls();
      expect(second.map((c) => c.model)).toEqual(['kimi-k3', 'kimi-k3']);
      // The reasoning_content of the searching call went back with its tool call (else Kimi's 400).
      const assistant = ((second[1]?.messages ?? []) as Array<Record<string, unknown>>).find((m) => m.role === 'assistant');
      expect(assistant?.reasoning_content).toMatch(/^Thinking about/);
      sim.setWebSearchThinking('refuse');
    });

    it('Stop during the round trip stops it: the search call keeps its row and fee, the stopped call is recorded', async () => {
      const id = crypto.randomUUID();
      sim.clearRequests();
      // The search call answers at once; the call after it waits, so Stop lands while it is in flight.
      sim.queueFaults('slow_first:0', 1, 'kimi-k2.6');
      sim.queueFaults('slow_first:5000', 1, 'kimi-k2.6');
      const res = await h.post(alice, {
        id,
        trigger: 'submit-message',
        message: h.userMessage('search the web for a slow answer'),
        settings: h.settings('kimi-k2.6', { webSearch: true }),
      });
      const { reader } = await readUntil(res, (text) => text.includes('"tool-output-available"'));
      await waitFor(async () => h.chatCalls().length === 2);
      expect((await h.routes.stop.POST!(h.req(alice, `/api/chat/${id}/stop`, { method: 'POST' }), h.ctx(id))).status).toBe(204);
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        // drain
      }
      const answer = await waitFor(() => prisma.message.findFirst({ where: { conversationId: id, role: 'assistant', status: 'stopped' } }));
      const rows = await rowsOf(answer.id);
      expect(rows.map((r) => [r.outcome, r.webSearches])).toEqual([
        ['ok', 1],
        ['stopped', 0],
      ]);
      expect(Number(rows[0]?.cost)).toBeGreaterThan(Number(WEB_SEARCH_FEES.CNY));
    });

    it('the CSV has a row per call of a searching turn, with its searches', async () => {
      const id = crypto.randomUUID();
      await h.turn(alice, id, 'search the web 2 times for the CSV', 'kimi-k2.6', { webSearch: true });
      const { exportUsageCsv } = await import('@/lib/usage/export');
      const text = await new Response(exportUsageCsv(prisma, new Date(0), new Date(Date.now() + 60_000))).text();
      expect(text.split('\r\n')[0]?.endsWith(',web_searches,api_key')).toBe(true);
      const rows = parseCsvRecords(text).filter((r) => r.conversation_id === id && r.purpose === 'chat');
      expect(rows.map((r) => r.web_searches)).toEqual(['1', '1', '0']);
    });

    it('an admin can disable web search for the instance: the toggle is then ignored', async () => {
      await prisma.setting.create({ data: { key: 'chat.webSearchEnabled', value: false } });
      sim.clearRequests();
      const chunks = await h.turn(alice, crypto.randomUUID(), 'search the web for anything', 'kimi-k2.6', { webSearch: true });
      expect(chunks.filter((c) => c.type === 'error')).toEqual([]);
      expect(h.chatCalls()).toHaveLength(1);
      expect(h.chatCalls()[0]?.params.tools).toBeUndefined();
      await prisma.setting.delete({ where: { key: 'chat.webSearchEnabled' } });
    });
  });
}

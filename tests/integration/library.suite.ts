// Find, keep, share (issue 12) below the browser: the real routes on a real database. Full-text search over
// message text (English and Chinese, only the user's own), pin and archive, export → import round trip,
// share snapshots (contents, visibility, revocation).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResults } from '@/lib/chat/search-types';
import type { ConversationExport } from '@/lib/chat/transfer-format';
import type { ConversationPage } from '@/lib/chat/types';
import type { ShareSummary } from '@/lib/share/types';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';

type RouteModule = Record<string, (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>>;

export function librarySuite(kind: 'pglite' | 'postgres'): void {
  describe(`find, keep, share on ${kind}`, () => {
    let h: ChatHarness;
    let alice: Who;
    let bob: Who;
    let search: RouteModule;
    let exportRoute: RouteModule;
    let importRoute: RouteModule;
    let shareRoute: RouteModule;
    let shares: RouteModule;
    let share: RouteModule;

    beforeAll(async () => {
      h = await openChatHarness(kind);
      alice = await h.signedIn(`lib-alice-${kind}@example.com`);
      bob = await h.signedIn(`lib-bob-${kind}@example.com`);
      search = (await import('@/app/api/search/route')) as unknown as RouteModule;
      exportRoute = (await import('@/app/api/conversations/[id]/export/route')) as unknown as RouteModule;
      importRoute = (await import('@/app/api/conversations/import/route')) as unknown as RouteModule;
      shareRoute = (await import('@/app/api/conversations/[id]/share/route')) as unknown as RouteModule;
      shares = (await import('@/app/api/shares/route')) as unknown as RouteModule;
      share = (await import('@/app/api/shares/[id]/route')) as unknown as RouteModule;
    });
    afterAll(() => h?.close());

    /** A conversation of `who` with these messages (user, assistant, user, …), written as the chat turn writes them. */
    async function seed(who: Who, title: string, texts: string[]): Promise<{ id: string; messageIds: string[] }> {
      const id = crypto.randomUUID();
      await h.prisma.conversation.create({ data: { id, userId: who.id, title, model: 'kimi-k2.6' } });
      const messageIds: string[] = [];
      for (const [i, text] of texts.entries()) {
        const messageId = crypto.randomUUID();
        messageIds.push(messageId);
        await h.prisma.message.create({
          data: {
            id: messageId,
            parentId: messageIds.at(-2) ?? null,
            conversationId: id,
            role: i % 2 === 0 ? 'user' : 'assistant',
            parts: [{ type: 'text', text }],
            model: i % 2 ? 'kimi-k2.6' : null,
          },
        });
      }
      await h.prisma.conversation.update({ where: { id }, data: { leafId: messageIds.at(-1) ?? null } });
      return { id, messageIds };
    }

    async function find(who: Who, q: string): Promise<SearchResults> {
      const res = await search.GET!(h.req(who, `/api/search?q=${encodeURIComponent(q)}`));
      expect(res.status).toBe(200);
      return (await res.json()) as SearchResults;
    }

    const list = async (who: Who, query = '') => {
      const res = await h.routes.list.GET!(h.req(who, `/api/conversations${query}`));
      expect(res.status).toBe(200);
      return (await res.json()) as ConversationPage;
    };
    const patch = (who: Who, id: string, body: object) =>
      h.routes.one.PATCH!(h.req(who, `/api/conversations/${id}`, { method: 'PATCH', body: JSON.stringify(body) }), h.ctx(id));

    it('search finds message text (not only titles), by word and prefix, newest first, with a snippet', async () => {
      const a = await seed(alice, 'Trip', [
        'Where should I stay near the West Lake in Hangzhou?',
        'Try the Xixi wetland guesthouses; they are quiet.',
      ]);
      const b = await seed(alice, 'Kubernetes', ['How do I roll back a deployment?', 'Use kubectl rollout undo deployment/web.']);
      const byWord = await find(alice, 'guesthouses');
      expect(byWord.hits.map((x) => x.messageId)).toEqual([a.messageIds[1]]);
      expect(byWord.hits[0]).toMatchObject({ conversationId: a.id, title: 'Trip', role: 'assistant' });
      expect(byWord.hits[0]!.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(['guesthouses']);
      expect(byWord.hits[0]!.snippet.map((p) => p.text).join('')).toBe('Try the Xixi wetland guesthouses; they are quiet.');
      // Prefix of the last word, every term required, case-insensitive.
      expect((await find(alice, 'ROLLOUT deploy')).hits.map((x) => x.messageId)).toEqual([b.messageIds[1]]);
      expect((await find(alice, 'deploy')).hits.map((x) => x.messageId)).toEqual([b.messageIds[1], b.messageIds[0]]);
      expect((await find(alice, 'rollout hangzhou')).hits).toEqual([]);
      // The title alone is not a message match.
      expect((await find(alice, 'Kubernetes')).hits).toEqual([]);
    });

    it('search works in Chinese and Japanese: a phrase of consecutive characters, mixed with Latin words', async () => {
      const c = await seed(alice, '杭州', ['杭州西湖附近有什么好的酒店？', '推荐住在西溪湿地附近，比较安静。Kimi模型也这么说。']);
      const j = await seed(alice, '東京', ['東京でおすすめのラーメン屋はどこですか']);
      expect((await find(alice, '西湖')).hits.map((x) => x.messageId)).toEqual([c.messageIds[0]]);
      expect((await find(alice, '湿地')).hits.map((x) => x.messageId)).toEqual([c.messageIds[1]]);
      // Characters that occur but not next to each other do not match as a phrase.
      expect((await find(alice, '西安')).hits).toEqual([]);
      expect((await find(alice, '湖西')).hits).toEqual([]);
      // Two terms, Chinese punctuation in the text ignored, Latin next to Han.
      expect((await find(alice, '安静 kimi模型')).hits.map((x) => x.messageId)).toEqual([c.messageIds[1]]);
      expect((await find(alice, 'ラーメン')).hits.map((x) => x.messageId)).toEqual([j.messageIds[0]]);
      const hit = (await find(alice, '西溪湿地')).hits[0]!;
      expect(hit.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(['西溪湿地']);
    });

    it("search never finds other users' messages, deleted conversations, or anything for an empty query", async () => {
      await seed(bob, 'Bob secret', ['bobsecretword 秘密计划']);
      expect((await find(alice, 'bobsecretword')).hits).toEqual([]);
      expect((await find(alice, '秘密计划')).hits).toEqual([]);
      expect((await find(bob, 'bobsecretword')).hits).toHaveLength(1);
      expect((await find(bob, 'guesthouses')).hits).toEqual([]);
      const gone = await seed(alice, 'Gone', ['vanishingword here']);
      expect((await find(alice, 'vanishingword')).hits).toHaveLength(1);
      expect((await h.routes.one.DELETE!(h.req(alice, `/api/conversations/${gone.id}`, { method: 'DELETE' }), h.ctx(gone.id))).status).toBe(204);
      expect((await find(alice, 'vanishingword')).hits).toEqual([]);
      expect((await find(alice, '  ,.;  ')).hits).toEqual([]);
      // Operators in the query are text, not tsquery syntax.
      expect((await find(alice, "deploy & | ! <-> ' :*")).hits.length).toBeGreaterThan(0);
      expect((await search.GET!(h.req(null, '/api/search?q=deploy'))).status).toBe(401);
      expect((await search.GET!(h.req(alice, `/api/search?q=${'x'.repeat(201)}`))).status).toBe(400);
    });

    /**
     * `count` messages of `who` in a new conversation, the g-th (1 = newest) `days` days ahead of now minus g
     * seconds (so newer than anything else of the test), saying `word` where `says(g)` holds.
     */
    async function seedMany(who: Who, days: number, count: number, word: string, says: (g: number) => boolean) {
      const id = crypto.randomUUID();
      await h.prisma.conversation.create({ data: { id, userId: who.id, title: word, model: 'kimi-k2.6' } });
      const saying = Array.from({ length: count }, (_, i) => i + 1).filter(says);
      await h.prisma.$executeRaw`
        INSERT INTO "Message" (id, "conversationId", role, parts, "createdAt", "updatedAt")
        SELECT ${id} || '-' || g, ${id}::uuid, 'user', jsonb_build_array(jsonb_build_object('type', 'text',
          'text', 'filler ' || g || CASE WHEN g = ANY(${saying}::int[]) THEN ' ' || ${word} ELSE '' END)),
          now() + ${days} * interval '1 day' - g * interval '1 second', now()
        FROM generate_series(1, ${count}::int) AS g`;
      return { id, ids: (g: number) => `${id}-${g}` };
    }

    it('a word in many messages: the newest 30 of her own, not deleted (the walk over her newest messages)', async () => {
      const mine = await seedMany(alice, 30, 60, 'everywhereword', () => true);
      // Newer, but Bob's or in a deleted conversation: never in her page.
      await seedMany(bob, 31, 40, 'everywhereword', () => true);
      const gone = await seedMany(alice, 31, 10, 'everywhereword', () => true);
      await h.prisma.conversation.update({ where: { id: gone.id }, data: { deletedAt: new Date() } });
      const hits = (await find(alice, 'everywhereword')).hits;
      expect(hits.map((x) => x.messageId)).toEqual(Array.from({ length: 30 }, (_, i) => mine.ids(i + 1)));
      expect(hits[0]!.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(['everywhereword']);
      expect((await find(bob, 'everywhereword')).hits.map((x) => x.conversationId)).toEqual(Array(30).fill(expect.any(String)));
    });

    it('a word in fewer than 30 of her newest 1,000 messages: the page still continues into older ones', async () => {
      // 1,200 messages (newer than the other tests'): the word in every 50th, and in the oldest 20.
      const says = (g: number) => g % 50 === 0 || g > 1180;
      const mine = await seedMany(alice, 60, 1200, 'sparseword', says);
      const expected = Array.from({ length: 1200 }, (_, i) => i + 1)
        .filter(says)
        .slice(0, 30)
        .map(mine.ids);
      expect((await find(alice, 'sparseword')).hits.map((x) => x.messageId)).toEqual(expected);
      expect((await find(bob, 'sparseword')).hits).toEqual([]);
    });

    it("a message's owner is its conversation's, whatever a writer puts in the column", async () => {
      const c = await seed(alice, 'Owner', []);
      await h.prisma.$executeRaw`
        INSERT INTO "Message" (id, "conversationId", role, parts, "userId", "updatedAt")
        VALUES (${`${c.id}-forged`}, ${c.id}::uuid, 'user', '[{"type":"text","text":"ownerword"}]', ${bob.id}::uuid, now())`;
      await h.prisma.$executeRaw`UPDATE "Message" SET "userId" = ${bob.id}::uuid WHERE id = ${`${c.id}-forged`}`;
      expect((await find(alice, 'ownerword')).hits).toHaveLength(1);
      expect((await find(bob, 'ownerword')).hits).toEqual([]);
    });

    it('search uses the GIN index on message text', async () => {
      await h.prisma.$executeRawUnsafe('SET enable_seqscan = off');
      const plan = (
        await h.prisma.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
          `EXPLAIN SELECT id FROM "Message" WHERE "searchVector" @@ to_tsquery('simple', 'deploy:*')`,
        )
      )
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      await h.prisma.$executeRawUnsafe('RESET enable_seqscan');
      expect(plan).toContain('Message_search_idx');
    });

    it('a real chat turn is searchable at once', async () => {
      const id = crypto.randomUUID();
      await h.turn(alice, id, 'quokkas are the happiest marsupials', 'kimi-k2.6');
      const hits = (await find(alice, 'quokkas')).hits;
      expect(new Set(hits.map((x) => x.conversationId))).toEqual(new Set([id]));
      expect(hits.some((x) => x.role === 'user')).toBe(true);
    });

    it('pin puts a chat in the pinned list on top; archive moves it to the Archived view; both owner-only', async () => {
      const p = await seed(alice, 'Pin me', ['hello']);
      const r = await seed(alice, 'Archive me', ['hello']);
      expect((await patch(alice, p.id, { pinned: true })).status).toBe(204);
      let page = await list(alice);
      expect(page.pinned?.map((c) => c.id)).toEqual([p.id]);
      expect(page.pinned?.[0]?.pinned).toBe(true);
      expect(page.items.map((c) => c.id)).not.toContain(p.id);

      expect((await patch(alice, r.id, { archived: true })).status).toBe(204);
      page = await list(alice);
      expect(page.items.map((c) => c.id)).not.toContain(r.id);
      const archived = await list(alice, '?view=archived');
      expect(archived.items.map((c) => c.id)).toEqual([r.id]);
      expect(archived.items[0]?.archived).toBe(true);
      // Archiving a pinned chat unpins it; restoring brings it back to the list.
      expect((await patch(alice, p.id, { archived: true })).status).toBe(204);
      expect((await list(alice)).pinned).toEqual([]);
      // Not on later pages or title searches: the pinned list comes once.
      expect((await list(alice, '?q=Pin')).pinned).toBeUndefined();
      expect((await patch(alice, p.id, { archived: false })).status).toBe(204);
      expect((await list(alice)).items.map((c) => c.id)).toContain(p.id);

      // Bob cannot pin or archive Alice's chat, and her rows are unchanged.
      expect((await patch(bob, r.id, { archived: false })).status).toBe(404);
      expect((await patch(bob, p.id, { pinned: true })).status).toBe(404);
      expect((await h.prisma.conversation.findUniqueOrThrow({ where: { id: r.id } })).archivedAt).not.toBeNull();
      expect((await h.prisma.conversation.findUniqueOrThrow({ where: { id: p.id } })).pinnedAt).toBeNull();
      expect((await list(bob, '?view=archived')).items).toEqual([]);
      expect((await patch(alice, p.id, { pinned: 'yes' })).status).toBe(400);
    });

    it('export → import round trip: a new conversation of the importer, new ids, same text and order', async () => {
      const src = await seed(alice, 'Round trip', ['first question', 'first **answer**', 'second 问题', 'second answer']);
      const res = await exportRoute.GET!(h.req(alice, `/api/conversations/${src.id}/export`), h.ctx(src.id));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('attachment');
      const file = (await res.json()) as ConversationExport;
      expect(file).toMatchObject({ format: 'kimi-chat.conversation', version: 1, conversation: { title: 'Round trip', model: 'kimi-k2.6' } });
      expect(file.messages.map((m) => m.parentId)).toEqual([null, ...src.messageIds.slice(0, 3)]);
      expect(file.messages.map((m) => m.parts[0]?.text)).toEqual(['first question', 'first **answer**', 'second 问题', 'second answer']);

      // Bob imports Alice's file (she sent it to him): it becomes his, with new ids.
      const imported = await importRoute.POST!(h.req(bob, '/api/conversations/import', { method: 'POST', body: JSON.stringify(file) }));
      expect(imported.status).toBe(201);
      const { id } = (await imported.json()) as { id: string };
      expect(id).not.toBe(src.id);
      const row = await h.prisma.conversation.findUniqueOrThrow({ where: { id }, include: { messages: { orderBy: { seq: 'asc' } } } });
      expect(row.userId).toBe(bob.id);
      expect(row.title).toBe('Round trip');
      expect(row.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
      expect(row.messages.map((m) => (m.parts as Array<{ text: string }>)[0]?.text)).toEqual(file.messages.map((m) => m.parts[0]?.text));
      for (const m of row.messages) expect(src.messageIds).not.toContain(m.id);
      // Alice's conversation is untouched; Bob finds the imported text.
      expect(await h.prisma.message.count({ where: { conversationId: src.id } })).toBe(4);
      expect((await find(bob, 'second 问题')).hits.map((x) => x.conversationId)).toEqual([id]);

      // Export of someone else's conversation: 404.
      expect((await exportRoute.GET!(h.req(bob, `/api/conversations/${src.id}/export`), h.ctx(src.id))).status).toBe(404);
    });

    it('import refuses files that are not a version-1 export, with a specific error, and writes nothing', async () => {
      const before = await h.prisma.conversation.count({ where: { userId: bob.id } });
      const post = (body: string) => importRoute.POST!(h.req(bob, '/api/conversations/import', { method: 'POST', body }));
      const valid = {
        format: 'kimi-chat.conversation',
        version: 1,
        exportedAt: new Date().toISOString(),
        conversation: { title: 't', model: 'kimi-k2.6', createdAt: new Date().toISOString() },
        messages: [{ id: 'a', parentId: null, role: 'user', createdAt: new Date().toISOString(), parts: [{ type: 'text', text: 'hi' }] }],
      };
      for (const body of [
        'not json',
        JSON.stringify({ ...valid, version: 2 }),
        JSON.stringify({ ...valid, messages: [{ ...valid.messages[0], parentId: 'nowhere' }] }),
        JSON.stringify({ ...valid, messages: [valid.messages[0], valid.messages[0]] }),
        JSON.stringify({ ...valid, messages: [{ ...valid.messages[0], role: 'system' }] }),
      ]) {
        const res = await post(body);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('import_invalid');
      }
      const big = await post(JSON.stringify({ ...valid, padding: 'x'.repeat(10 * 1024 * 1024) }));
      expect(big.status).toBe(413);
      expect(await h.prisma.conversation.count({ where: { userId: bob.id } })).toBe(before);
      expect((await post(JSON.stringify(valid))).status).toBe(201);
    });

    it('share: a snapshot (later turns are not in it), listed for its owner, revocable; others cannot revoke or share', async () => {
      const { readShare } = await import('@/lib/share/shares');
      const src = await seed(alice, 'Shared chat', ['what is 2+2?', '**4**']);
      const created = await shareRoute.POST!(
        h.req(alice, `/api/conversations/${src.id}/share`, { method: 'POST', body: JSON.stringify({ visibility: 'users' }) }),
        h.ctx(src.id),
      );
      expect(created.status).toBe(201);
      const s = (await created.json()) as ShareSummary;
      expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(s).toMatchObject({ title: 'Shared chat', visibility: 'users', messages: 2 });
      await h.prisma.message.create({
        data: { id: crypto.randomUUID(), conversationId: src.id, role: 'user', parts: [{ type: 'text', text: 'later secret' }] },
      });
      const snap = await readShare(s.id);
      expect(snap).toEqual({
        title: 'Shared chat',
        visibility: 'users',
        createdAt: s.createdAt,
        messages: [
          { role: 'user', text: 'what is 2+2?', model: null },
          { role: 'assistant', text: '**4**', model: 'kimi-k2.6' },
        ],
      });
      expect(JSON.stringify(snap)).not.toContain('@example.com');

      const listed = (await (await shares.GET!(h.req(alice, '/api/shares'))).json()) as ShareSummary[];
      expect(listed.map((x) => x.id)).toContain(s.id);
      expect((await (await shares.GET!(h.req(bob, '/api/shares'))).json()) as ShareSummary[]).toEqual([]);

      // Bob can neither share Alice's conversation nor revoke her link.
      const bobShare = await shareRoute.POST!(
        h.req(bob, `/api/conversations/${src.id}/share`, { method: 'POST', body: JSON.stringify({ visibility: 'link' }) }),
        h.ctx(src.id),
      );
      expect(bobShare.status).toBe(404);
      expect((await share.DELETE!(h.req(bob, `/api/shares/${s.id}`, { method: 'DELETE' }), h.ctx(s.id))).status).toBe(404);
      expect(await readShare(s.id)).not.toBeNull();
      expect(
        (
          await shareRoute.POST!(
            h.req(alice, `/api/conversations/${src.id}/share`, { method: 'POST', body: '{"visibility":"world"}' }),
            h.ctx(src.id),
          )
        ).status,
      ).toBe(400);

      expect((await share.DELETE!(h.req(alice, `/api/shares/${s.id}`, { method: 'DELETE' }), h.ctx(s.id))).status).toBe(204);
      expect(await readShare(s.id)).toBeNull();
      expect((await share.DELETE!(h.req(alice, `/api/shares/${s.id}`, { method: 'DELETE' }), h.ctx(s.id))).status).toBe(404);
      expect((await (await shares.GET!(h.req(alice, '/api/shares'))).json()) as ShareSummary[]).not.toContainEqual(
        expect.objectContaining({ id: s.id }),
      );
    });

    it("a deleted conversation's links stop working", async () => {
      const { readShare } = await import('@/lib/share/shares');
      const src = await seed(alice, 'Delete me', ['q', 'a']);
      const s = (await (
        await shareRoute.POST!(
          h.req(alice, `/api/conversations/${src.id}/share`, { method: 'POST', body: JSON.stringify({ visibility: 'link' }) }),
          h.ctx(src.id),
        )
      ).json()) as ShareSummary;
      expect(await readShare(s.id)).not.toBeNull();
      await h.routes.one.DELETE!(h.req(alice, `/api/conversations/${src.id}`, { method: 'DELETE' }), h.ctx(src.id));
      expect(await readShare(s.id)).toBeNull();
      expect(await readShare('A'.repeat(43))).toBeNull();
      expect(await readShare('../../etc')).toBeNull();
    });
  });
}

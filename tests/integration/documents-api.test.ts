// Documents end to end below the browser: the real route handlers, a real database (PGlite), and the
// simulator over HTTP — upload and reuse, the document in the turn, fitting, privacy, failures, and the
// Kimi file-API extractor.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextBudget, DocumentSummary } from '@/lib/contracts';
import { extractText } from '@/lib/documents/extract';
import { getModel } from '@/lib/kimi/catalog';
import { type Simulator, startSimulator } from '@/sim';
import * as fixtures from '@/tests/support/fixtures/documents';
import { parseSse } from '@/tests/support/ui-stream';

type Handler = (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>;
type RouteModule = Record<string, Handler>;
interface Who {
  id: string;
  cookie: string;
}

const SECRET = 'integration-test-secret-0123456789abcdef';
const ORIGIN = 'http://127.0.0.1:3000';
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

// Today's windows (from the catalog): Auto answers on K2.6 while prompt + its default budget fit 256k, else K3.
const K26 = getModel('kimi-k2.6');
const K3 = getModel('kimi-k3');

describe('documents API on pglite', () => {
  let sim: Simulator;
  let dataDir: string;
  let prisma: Awaited<ReturnType<typeof import('@/lib/db')['db']>>;
  let upload: RouteModule, remove: RouteModule, list: RouteModule, context: RouteModule, chat: RouteModule, settingsRoute: RouteModule;
  let alice: Who, bob: Who;
  let pdf: Buffer;

  async function signedIn(email: string): Promise<Who> {
    const { createUser } = await import('@/lib/auth/users');
    const user = await createUser({ email, password: 'correct horse battery' });
    const token = await encode({
      token: { sub: user.id, id: user.id, email, role: user.role, sessionVersion: 0 },
      secret: SECRET,
      salt: 'authjs.session-token',
    });
    return { id: user.id, cookie: `authjs.session-token=${token}` };
  }

  const send = (who: Who, conversationId: string, name: string, bytes: Buffer) =>
    upload.POST!(
      new Request(`${ORIGIN}/api/documents?conversationId=${conversationId}`, {
        method: 'POST',
        headers: { cookie: who.cookie, 'x-file-name': encodeURIComponent(name), 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      }),
    );
  const listOf = (who: Who, id: string) =>
    list.GET!(new Request(`${ORIGIN}/api/conversations/${id}/documents`, { headers: { cookie: who.cookie } }), ctx(id));
  const budget = async (who: Who, id: string, model: string) => {
    const res = await context.GET!(
      new Request(`${ORIGIN}/api/conversations/${id}/context?model=${model}`, { headers: { cookie: who.cookie } }),
      ctx(id),
    );
    expect(res.status).toBe(200);
    return (await res.json()) as ContextBudget;
  };
  const turn = (who: Who, id: string, text: string, model: string) =>
    chat.POST!(
      new Request(`${ORIGIN}/api/chat`, {
        method: 'POST',
        headers: { cookie: who.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({
          id,
          trigger: 'submit-message',
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
          settings: { model, systemPrompt: '', temperature: null },
        }),
      }),
    );
  const counts = async () => ({ documents: await prisma.document.count(), texts: await prisma.extractedText.count() });
  const tempFiles = () => {
    try {
      return readdirSync(path.join(dataDir, 'uploads', 'tmp'));
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    sim = await startSimulator({ apiKeys: ['sk-integration'], tokensPerSecond: 0 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'kimi-chat-docs-'));
    Object.assign(process.env, {
      MOONSHOT_API_KEY: 'sk-integration',
      MOONSHOT_BASE_URL: sim.url,
      AUTH_SECRET: SECRET,
      DATA_DIR: dataDir,
      MAX_UPLOAD_MB: '1',
    });
    prisma = await (await import('@/lib/db')).db();
    upload = (await import('@/app/api/documents/route')) as unknown as RouteModule;
    remove = (await import('@/app/api/documents/[id]/route')) as unknown as RouteModule;
    list = (await import('@/app/api/conversations/[id]/documents/route')) as unknown as RouteModule;
    context = (await import('@/app/api/conversations/[id]/context/route')) as unknown as RouteModule;
    chat = (await import('@/app/api/chat/route')) as unknown as RouteModule;
    settingsRoute = (await import('@/app/api/documents/settings/route')) as unknown as RouteModule;
    alice = await signedIn('alice@example.com'); // the first user: admin
    bob = await signedIn('bob@example.com');
    // ~18k tokens: a real document, well inside K2.6's window.
    pdf = await fixtures.textPdf({ pages: 120, sentencePage: 100 });
  });
  afterAll(async () => {
    await (await import('@/lib/db')).closeDb();
    await sim?.close();
  });

  const conversation = crypto.randomUUID();
  let first: DocumentSummary;

  it('uploads a PDF into a new chat; the same bytes again reuse the extraction and the count', async () => {
    sim.clearRequests();
    const res = await send(alice, conversation, 'report.pdf', pdf);
    expect(res.status).toBe(201);
    first = (await res.json()) as DocumentSummary;
    expect(first).toMatchObject({ name: 'report.pdf', bytes: pdf.length, pages: 120, mediaType: 'application/pdf' });
    expect(first.tokens).toBeGreaterThan(8192);
    expect(first.tokens).toBeLessThan(32768);
    expect(first.tokens + K26.defaultMaxTokens).toBeLessThan(K26.contextWindow);
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversation } })).userId).toBe(alice.id);
    const stored = await prisma.extractedText.findFirstOrThrow();
    expect(stored.extractor).toBe('local');
    expect(stored.text).toContain(fixtures.KNOWN_SENTENCE);
    const estimates = () => sim.requests().filter((r) => r.path === '/v1/tokenizers/estimate-token-count').length;
    expect(estimates()).toBe(1); // a key is set: Kimi's own tokenizer counted it

    const again = await send(alice, conversation, 'copy.pdf', pdf);
    expect(again.status).toBe(201);
    const second = (await again.json()) as DocumentSummary;
    expect(second.id).not.toBe(first.id);
    expect(second.pages).toBe(120);
    expect(await counts()).toEqual({ documents: 2, texts: 1 });
    expect((await prisma.extractedText.findFirstOrThrow()).createdAt).toEqual(stored.createdAt);
    expect(estimates()).toBe(1); // no second extraction, no second count
    expect(tempFiles()).toEqual([]);

    const listed = (await (await listOf(alice, conversation)).json()) as { documents: DocumentSummary[] };
    expect(listed.documents.map((d) => d.name)).toEqual(['report.pdf', 'copy.pdf']);
    expect(
      (
        await remove.DELETE!(
          new Request(`${ORIGIN}/api/documents/${second.id}`, { method: 'DELETE', headers: { cookie: alice.cookie } }),
          ctx(second.id),
        )
      ).status,
    ).toBe(204);
    const after = (await (await listOf(alice, conversation)).json()) as { documents: DocumentSummary[] };
    expect(after.documents.map((d) => d.id)).toEqual([first.id]);
  });

  it('meters the context: the document, the window auto picks and the answer it reserves', async () => {
    const auto = await budget(alice, conversation, 'auto');
    expect(auto).toMatchObject({
      fits: true,
      servedModel: K26.id,
      window: K26.contextWindow,
      documentsTokens: first.tokens,
      over: 0,
      suggestedModel: null,
    });
    expect(auto.reservedTokens).toBe(K26.defaultMaxTokens);
    expect(auto.totalTokens).toBe(auto.systemTokens + auto.historyTokens + auto.documentsTokens + auto.reservedTokens);
    expect(auto.cost?.amount).toBeGreaterThan(0);
    const k3 = await budget(alice, conversation, K3.id);
    expect(k3).toMatchObject({
      fits: true,
      servedModel: K3.id,
      window: K3.contextWindow,
      documentsTokens: first.tokens,
      reservedTokens: K3.defaultMaxTokens,
    });
    // The same prompt costs more on K3 (dearer rates, a larger reserved answer).
    expect(k3.cost!.amount).toBeGreaterThan(auto.cost!.amount);
  });

  it('sends the document as a system message on the turn, and auto picks a window that holds it', async () => {
    sim.clearRequests();
    const res = await turn(alice, conversation, 'What happens at midnight?', 'auto');
    expect(res.status).toBe(200);
    parseSse(await res.text());
    const call = sim.requests().find((r) => r.path === '/v1/chat/completions' && r.stream);
    expect(call?.model).toBe(K26.id);
    expect(call?.status).toBe(200);
    const messages = call?.messages as Array<{ role: string; content: string }>;
    expect(messages[0]?.role).toBe('system');
    expect(messages[0]?.content.startsWith('Document: report.pdf\n\n[Page 1]\n')).toBe(true);
    expect(messages[0]?.content).toContain(fixtures.KNOWN_SENTENCE);
    expect(messages.at(-1)).toMatchObject({ role: 'user', content: 'What happens at midnight?' });
    // The whole default answer budget is sent, and prompt + budget fit the window.
    expect(call?.params.max_completion_tokens).toBe(K26.defaultMaxTokens);
    expect(call!.usage!.prompt_tokens + K26.defaultMaxTokens).toBeLessThanOrEqual(K26.contextWindow);
    expect(call!.usage!.prompt_tokens).toBeGreaterThan(first.tokens);
  });

  // A document K2.6 cannot hold: ~270k tokens ("ab " is one token), under the 1 MB upload limit.
  const long = crypto.randomUUID();
  const LONG_TOKENS = K26.contextWindow + 8_000;

  it('refuses a model too small for the document with context_too_long and the suggestion', async () => {
    const res = await send(alice, long, 'long.txt', Buffer.from('ab '.repeat(LONG_TOKENS)));
    expect(res.status).toBe(201);
    const doc = (await res.json()) as DocumentSummary;
    expect(doc.tokens).toBeGreaterThan(K26.contextWindow);
    expect(doc.tokens).toBeLessThan(K3.contextWindow - K3.defaultMaxTokens);
    const meter = await budget(alice, long, K26.id);
    expect(meter).toMatchObject({ fits: false, window: K26.contextWindow, suggestedModel: K3.id });
    expect(meter.over).toBe(meter.totalTokens - K26.contextWindow);
    // A turn that cannot be sent has no cost to quote (issue 12, bug 3).
    expect(meter.cost).toBeNull();

    sim.clearRequests();
    const refused = await turn(alice, long, 'And on page 100?', K26.id);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; params: Record<string, unknown> } };
    expect(body.error.code).toBe('context_too_long');
    expect(body.error.params).toMatchObject({ model: K26.id, window: K26.contextWindow, suggestion: K3.id });
    expect(sim.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
  });

  it('routes auto beyond 256k to K3 (1M) when documents need it', async () => {
    const auto = await budget(alice, long, 'auto');
    expect(auto).toMatchObject({ fits: true, servedModel: K3.id, window: K3.contextWindow, reservedTokens: K3.defaultMaxTokens });
    sim.clearRequests();
    const answer = await turn(alice, long, 'Summarise it.', 'auto');
    expect(answer.status).toBe(200);
    const chunks = parseSse(await answer.text());
    expect(chunks.filter((c) => c.type === 'error')).toEqual([]);
    const call = sim.requests().find((r) => r.path === '/v1/chat/completions' && r.stream);
    expect([call?.model, call?.status]).toEqual([K3.id, 200]);
    expect(call!.usage!.prompt_tokens).toBeGreaterThan(K26.contextWindow);
    const row = await prisma.usage.findFirstOrThrow({ where: { conversationId: long, purpose: 'chat' } });
    expect([row.requestedModel, row.servedModel, row.promptTokens]).toEqual(['auto', K3.id, call!.usage!.prompt_tokens]);
  });

  it('keeps documents private: another user cannot list, delete or attach to them', async () => {
    const before = await counts();
    expect((await listOf(bob, conversation)).status).toBe(404);
    expect(
      (await remove.DELETE!(new Request(`${ORIGIN}/api/documents/${first.id}`, { method: 'DELETE', headers: { cookie: bob.cookie } }), ctx(first.id)))
        .status,
    ).toBe(404);
    expect((await send(bob, conversation, 'intruder.txt', Buffer.from('mine now'))).status).toBe(404);
    expect((await budget(alice, conversation, 'auto')).documentsTokens).toBe(first.tokens);
    expect(await counts()).toEqual(before);
    expect(tempFiles()).toEqual([]);
  });

  it('refuses bad files with their specific errors and leaves nothing behind', async () => {
    const before = await counts();
    const id = crypto.randomUUID();
    const cases: Array<[string, Buffer, number, string]> = [
      ['secret.pdf', fixtures.encryptedPdf(), 422, 'pdf_encrypted'],
      ['scan.pdf', await fixtures.scannedPdf(), 422, 'pdf_scanned'],
      ['huge.txt', Buffer.alloc(1024 * 1024 + 1, 'a'), 413, 'file_too_large'],
      ['empty.txt', Buffer.alloc(0), 422, 'empty_file'],
      ['image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xfe]), 415, 'unsupported_file_type'],
    ];
    for (const [name, bytes, status, code] of cases) {
      const res = await send(alice, id, name, bytes);
      expect([name, res.status]).toEqual([name, status]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    // A body declared too big is refused before it is read.
    const declared = await upload.POST!(
      new Request(`${ORIGIN}/api/documents?conversationId=${id}`, {
        method: 'POST',
        headers: { cookie: alice.cookie, 'x-file-name': 'big.pdf', 'content-length': String(50 * 1024 * 1024) },
        body: new Uint8Array(10),
      }),
    );
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { params: { limitMb: number } } }).error.params.limitMb).toBe(1);
    expect(await counts()).toEqual(before);
    expect(await prisma.conversation.findUnique({ where: { id } })).toBeNull();
    expect(tempFiles()).toEqual([]);
  });

  it("extracts through Kimi's file API when an admin chooses it: the same text, the remote file deleted", async () => {
    const put = (who: Who, extractor: string) =>
      settingsRoute.PUT!(
        new Request(`${ORIGIN}/api/documents/settings`, {
          method: 'PUT',
          headers: { cookie: who.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ extractor }),
        }),
      );
    expect((await put(bob, 'kimi')).status).toBe(403);
    expect((await put(alice, 'kimi')).status).toBe(200);
    sim.clearRequests();
    const bytes = Buffer.from('# Notes\r\n\r\nThe violet heron\u0000 counts lanterns.\r\n');
    const res = await send(alice, crypto.randomUUID(), 'notes.md', bytes);
    expect(res.status).toBe(201);
    expect(((await res.json()) as DocumentSummary).mediaType).toBe('text/markdown');
    const calls = sim.requests().map((r) => `${r.method} ${r.path.replace(/\/files\/[^/]+/, '/files/:id')}`);
    expect(calls).toEqual(expect.arrayContaining(['POST /v1/files', 'GET /v1/files/:id/content', 'DELETE /v1/files/:id']));
    const { createHash } = await import('node:crypto');
    const stored = await prisma.extractedText.findUniqueOrThrow({ where: { sha256: createHash('sha256').update(bytes).digest('hex') } });
    expect(stored.extractor).toBe('kimi');
    expect(stored.text).toBe((await extractText('notes.md', Buffer.from(bytes))).text);
    // The file API calls are in the ledger, at no token cost (Kimi bills the text when a turn sends it).
    const ledger = await prisma.usage.findMany({ where: { userId: alice.id, purpose: 'extraction' } });
    expect(ledger.map((u) => [u.outcome, u.promptTokens, u.completionTokens, Number(u.cost)])).toEqual([['ok', 0, 0, 0]]);
    expect((await put(alice, 'local')).status).toBe(200);
  });

  it("takes the admin page's form post, for admins only, and answers with a redirect back", async () => {
    const post = (who: Who, extractor: string) =>
      settingsRoute.POST!(
        new Request(`${ORIGIN}/api/documents/settings`, {
          method: 'POST',
          headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ back: '/admin/users', extractor }).toString(),
        }),
      );
    const get = async () =>
      (
        (await (await settingsRoute.GET!(new Request(`${ORIGIN}/api/documents/settings`, { headers: { cookie: alice.cookie } }))).json()) as {
          extractor: string;
        }
      ).extractor;
    expect((await post(bob, 'kimi')).status).toBe(403);
    expect(await get()).toBe('local');
    const done = await post(alice, 'kimi');
    expect([done.status, done.headers.get('location')]).toEqual([303, '/admin/users']);
    expect(await get()).toBe('kimi');
    expect((await post(alice, 'pdf-magic')).headers.get('location')).toBe('/admin/users?error=invalid');
    await post(alice, 'local');
    expect(await get()).toBe('local');
  });
});

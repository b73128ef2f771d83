// Authorization sweep. Every route handler under app/api (each exported method), every page with an id in
// its path and every server action is called by someone who is not the owner: user B with user A's real
// ids, guessed ids and enumerated ones (neighbours, other kinds of A's ids, malformed ids, A's cursor, A's
// user id in query parameters …), and signed-out, tampered-cookie, forged-cookie, deleted-user and
// cross-site callers. Every attempt must be refused with the route's own status and error body, no
// response may carry anything of A's, and A's rows (and every admin-controlled setting) are re-read after
// each attempt and must be exactly as before. Runs on PGlite and on PostgreSQL.
//
// The inventory guard at the bottom reads the filesystem: a route, method, page with an id, or server
// action with no row in the matrices below fails the build, naming what is uncovered.
import fs from 'node:fs';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { decode, encode } from 'next-auth/jwt';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MODELS_SETTING_KEY } from '@/lib/chat/models';
import type { ConversationPage } from '@/lib/chat/types';
import { resetConfigForProcess } from '@/lib/config';
import type { ContextBudget } from '@/lib/contracts';
import { resetModelsCache } from '@/lib/kimi/models';
import { type ChatHarness, ORIGIN, openChatHarness, type Who, waitFor } from '@/tests/support/chat-harness';
import { describeEachDatabase } from '@/tests/support/db';
import { SAMPLES } from '@/tests/support/images';
import { parseSse, readUntil, textOf } from '@/tests/support/ui-stream';
import { cookieJar, requestState } from '../support/next-headers';

// ---------------------------------------------------------------------------------------------------
// Pages and server actions read the request through next/headers (tests/support/next-headers.ts).
const jar = cookieJar;
vi.mock('next/headers', async () => (await import('../support/next-headers')).nextHeadersModule());

const SECRET = 'integration-test-secret-0123456789abcdef'; // the harness's AUTH_SECRET
const SESSION_COOKIE = 'authjs.session-token';
const EVIL_ORIGIN = 'https://evil.example';
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const PASSWORD = 'correct horse battery'; // the harness's password for every user
/** Everything A owns carries this marker: a response containing it leaked A's data. */
const MARK = 'ZQX';
/** A PNG header (64×32): all an image upload checks. */
const IMAGE_BYTES = new Uint8Array(SAMPLES.png(64, 32));

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

// The exact bodies the app answers with (lib/auth/session.ts, lib/security/csrf.ts, lib/http.ts).
const UNAUTHORIZED = { status: 401, json: { error: { code: 'unauthorized', retryable: false } } };
const FORBIDDEN = { status: 403, json: { error: { code: 'forbidden', retryable: false } } };
const CROSS_SITE = { status: 403, json: { error: { code: 'forbidden', detail: 'cross-origin request refused', retryable: false } } };
const NOT_FOUND = { status: 404, json: { error: { code: 'not_found', retryable: false } } };
const NO_CONTENT = { status: 204, empty: true } as const;
const PENDING = { status: 403, json: { error: { code: 'account_pending', retryable: false } } };
const NOTHING_TO_REGENERATE = { status: 409, json: { error: { code: 'bad_request', detail: 'nothing to regenerate', retryable: false } } };

// ---------------------------------------------------------------------------------------------------
// Who calls.

type CallerName =
  | 'B'
  | 'signed out'
  | 'tampered cookie'
  | "forged cookie (A's id, wrong secret)"
  | 'deleted user'
  | "B's token claiming admin"
  | "A's cookie from a foreign origin"
  | "the admin's cookie from a foreign origin"
  | 'C (a fresh user)'
  | 'P (waiting for approval)'
  | 'A (control)'
  | 'admin (control)';

/** The callers that must get a 401 from every signed-in route. */
const UNAUTHENTICATED: CallerName[] = ['signed out', 'tampered cookie', "forged cookie (A's id, wrong secret)", 'deleted user'];

interface Caller {
  cookie: string | null;
  headers: Record<string, string>;
}

type IdKind = 'real' | 'guessed' | 'enumerated' | 'none';

// ---------------------------------------------------------------------------------------------------
// The state every case runs against (built once per database in beforeAll).

interface Fixture {
  h: ChatHarness;
  admin: Who & { email: string };
  A: Who & { email: string };
  B: Who & { email: string };
  callers: Record<CallerName, Caller>;
  a: {
    /** A's conversation: a real turn, a renamed title, an attached document, usage rows. */
    conv: string;
    conv2: string;
    /** Soft-deleted by A. */
    deleted: string;
    userMessageId: string;
    answerId: string;
    /** conv2's first answer, regenerated since: a branch off A's current path (a switch to it would move A's leaf). */
    offPathAnswerId: string;
    doc: string;
    /** An image A uploaded. */
    image: string;
    /** nextCursor of A's first page of conversations (limit 1). */
    cursor: string;
    title: string;
  };
  b: { conv: string };
  /** A's share links (of a conversation of A's made for them): live for anyone, live for signed-in users, revoked. */
  s: { link: string; users: string; revoked: string; title: string };
  /** An account under the approval policy, not yet approved. */
  pending: Who & { email: string };
  /** A random UUID nobody uses, shared by the "guessed" cases. */
  guessed: string;
  /** Conversations A started during live-answer cases: A's own new data, outside the baseline. */
  liveIds: string[];
  modules: Map<string, Record<string, unknown>>;
  baseline: Snapshot;
  /** Personal API keys (issue 16): A's open, revoked and expired ones, a disabled user's and a pending user's. */
  keys: { aOpen: string; aOpenId: string; aRevoked: string; aRevokedId: string; aExpired: string; disabled: string; pending: string };
}

/** Ids of the same shape as `id`, one hex digit off: a neighbour nobody owns. */
function neighbour(id: string): string {
  const last = id.at(-1)!;
  return `${id.slice(0, -1)}${last === 'f' ? '0' : (parseInt(last, 16) + 1).toString(16)}`;
}

interface IdChoice {
  kind: Exclude<IdKind, 'none'>;
  name: string;
  /** foreign: exists and is A's; absent: no such conversation/document/user; malformed: not an id. */
  is: 'foreign' | 'absent' | 'malformed';
  pick(f: Fixture): string;
}

/** What B puts where a conversation id is expected. */
const CONVERSATION_IDS: IdChoice[] = [
  { kind: 'real', is: 'foreign', name: "A's conversation id", pick: (f) => f.a.conv },
  { kind: 'real', is: 'foreign', name: "A's conversation id in upper case", pick: (f) => f.a.conv.toUpperCase() },
  { kind: 'real', is: 'foreign', name: "A's other conversation id", pick: (f) => f.a.conv2 },
  { kind: 'real', is: 'foreign', name: "A's deleted conversation id", pick: (f) => f.a.deleted },
  { kind: 'guessed', is: 'absent', name: 'a random UUID', pick: (f) => f.guessed },
  { kind: 'guessed', is: 'absent', name: 'the nil UUID', pick: () => NIL_UUID },
  { kind: 'enumerated', is: 'absent', name: "A's conversation id with its last digit changed", pick: (f) => neighbour(f.a.conv) },
  { kind: 'enumerated', is: 'absent', name: "A's message id", pick: (f) => f.a.userMessageId },
  { kind: 'enumerated', is: 'absent', name: "A's answer (assistant message) id", pick: (f) => f.a.answerId },
  { kind: 'enumerated', is: 'absent', name: "A's document id", pick: (f) => f.a.doc },
  { kind: 'enumerated', is: 'absent', name: "A's user id", pick: (f) => f.A.id },
  { kind: 'enumerated', is: 'malformed', name: 'a malformed id', pick: () => 'not-a-uuid' },
  { kind: 'enumerated', is: 'malformed', name: 'an SQL-shaped id', pick: () => "1' OR '1'='1" },
];

/** What B puts where a document id is expected. */
const DOCUMENT_IDS: IdChoice[] = [
  { kind: 'real', is: 'foreign', name: "A's document id", pick: (f) => f.a.doc },
  { kind: 'real', is: 'foreign', name: "A's document id in upper case", pick: (f) => f.a.doc.toUpperCase() },
  { kind: 'guessed', is: 'absent', name: 'a random UUID', pick: (f) => f.guessed },
  { kind: 'enumerated', is: 'absent', name: "A's document id with its last digit changed", pick: (f) => neighbour(f.a.doc) },
  { kind: 'enumerated', is: 'absent', name: "A's conversation id", pick: (f) => f.a.conv },
  { kind: 'enumerated', is: 'absent', name: "A's message id", pick: (f) => f.a.userMessageId },
  { kind: 'enumerated', is: 'malformed', name: 'a malformed id', pick: () => 'not-a-uuid' },
];

/** What B puts where an image id is expected. */
const IMAGE_IDS: IdChoice[] = [
  { kind: 'real', is: 'foreign', name: "A's image id", pick: (f) => f.a.image },
  { kind: 'real', is: 'foreign', name: "A's image id in upper case", pick: (f) => f.a.image.toUpperCase() },
  { kind: 'guessed', is: 'absent', name: 'a random UUID', pick: (f) => f.guessed },
  { kind: 'enumerated', is: 'absent', name: "A's image id with its last digit changed", pick: (f) => neighbour(f.a.image) },
  { kind: 'enumerated', is: 'absent', name: "A's document id", pick: (f) => f.a.doc },
  { kind: 'enumerated', is: 'malformed', name: 'a malformed id', pick: () => 'not-a-uuid' },
  { kind: 'enumerated', is: 'malformed', name: 'a path-shaped id', pick: () => '../../auth-secret' },
];

/** What B puts where a user id is expected (admin routes and pages). */
const USER_IDS: IdChoice[] = [
  { kind: 'real', is: 'foreign', name: "A's user id", pick: (f) => f.A.id },
  { kind: 'real', is: 'foreign', name: "the admin's user id", pick: (f) => f.admin.id },
  { kind: 'real', is: 'foreign', name: "B's own user id", pick: (f) => f.B.id },
  { kind: 'guessed', is: 'absent', name: 'a random UUID', pick: (f) => f.guessed },
  { kind: 'enumerated', is: 'absent', name: "A's user id with its last digit changed", pick: (f) => neighbour(f.A.id) },
  { kind: 'enumerated', is: 'malformed', name: 'a malformed id', pick: () => 'not-a-uuid' },
];

// ---------------------------------------------------------------------------------------------------
// The route matrix.

interface Observed {
  status: number;
  text: string;
  headers: Headers;
}

interface Expectation {
  status: number;
  /** The exact JSON body. */
  json?: unknown;
  empty?: true;
  /** Further checks, e.g. that a list holds only B's rows. */
  check?: (seen: Observed, f: Fixture) => Promise<void> | void;
}

interface SendSpec {
  url: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  /** The [id] segment as Next hands it to the handler (decoded). */
  id?: string;
}

interface RouteCase {
  route: string;
  method: Method;
  caller: CallerName;
  kind: IdKind;
  what: string;
  /** Runs while an answer of A's is streaming; `live` is its conversation id. */
  live?: true;
  send: (f: Fixture, live: string | undefined) => SendSpec | Promise<SendSpec>;
  expect: Expectation;
}

const R = {
  chat: 'app/api/chat/route.ts',
  stream: 'app/api/chat/[id]/stream/route.ts',
  stop: 'app/api/chat/[id]/stop/route.ts',
  list: 'app/api/conversations/route.ts',
  one: 'app/api/conversations/[id]/route.ts',
  context: 'app/api/conversations/[id]/context/route.ts',
  branch: 'app/api/conversations/[id]/branch/route.ts',
  messages: 'app/api/conversations/[id]/messages/route.ts',
  convDocs: 'app/api/conversations/[id]/documents/route.ts',
  upload: 'app/api/documents/route.ts',
  doc: 'app/api/documents/[id]/route.ts',
  docSettings: 'app/api/documents/settings/route.ts',
  images: 'app/api/images/route.ts',
  image: 'app/api/images/[id]/route.ts',
  prices: 'app/api/admin/prices/route.ts',
  adminSettings: 'app/api/admin/settings/route.ts',
  exportCsv: 'app/api/admin/usage/export/route.ts',
  auditCsv: 'app/api/admin/audit/export/route.ts',
  invitations: 'app/api/admin/invitations/route.ts',
  invitation: 'app/api/admin/invitations/[id]/route.ts',
  adminUsers: 'app/api/admin/users/route.ts',
  adminUser: 'app/api/admin/users/[id]/route.ts',
  auth: 'app/api/auth/[...nextauth]/route.ts',
  health: 'app/api/health/route.ts',
  benchBaseline: 'app/api/bench-baseline/route.ts',
  v1Chat: 'app/api/v1/chat/completions/route.ts',
  v1Models: 'app/api/v1/models/route.ts',
  v1Estimate: 'app/api/v1/tokenizers/estimate-token-count/route.ts',
  keys: 'app/api/keys/route.ts',
  key: 'app/api/keys/[id]/route.ts',
  adminApiAccess: 'app/api/admin/api-access/route.ts',
  adminApiKey: 'app/api/admin/api-keys/[id]/route.ts',
  search: 'app/api/search/route.ts',
  exportConv: 'app/api/conversations/[id]/export/route.ts',
  importConv: 'app/api/conversations/import/route.ts',
  share: 'app/api/conversations/[id]/share/route.ts',
  shares: 'app/api/shares/route.ts',
  shareOne: 'app/api/shares/[id]/route.ts',
} as const;

/** Routes anyone may call: their cases check that they reveal nothing and act on no one else. */
const PUBLIC_ROUTES = new Set<string>([R.auth, R.health, R.benchBaseline]);

const chatBody = (id: string, extra: object = {}) => ({
  id,
  trigger: 'submit-message',
  message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'B was here' }] },
  settings: { model: 'auto', systemPrompt: '', temperature: null },
  ...extra,
});
const regenerate = (id: string) => ({ id, trigger: 'regenerate-message', settings: { model: 'auto', systemPrompt: '', temperature: null } });
const enc = encodeURIComponent;

/** The list answers only B's own rows: every id is B's, and nothing of A's is in it. */
async function onlyBsConversations(seen: Observed, f: Fixture): Promise<void> {
  const page = JSON.parse(seen.text) as ConversationPage;
  const mine = new Set((await f.h.prisma.conversation.findMany({ where: { userId: f.B.id }, select: { id: true } })).map((c) => c.id));
  expect(page.items.length).toBeGreaterThan(0);
  for (const item of page.items) expect(mine.has(item.id), `conversation ${item.id} is not B's`).toBe(true);
}

/** The budget of a conversation id nobody used: what B's never-used id must look like. */
async function freshBudget(f: Fixture): Promise<ContextBudget> {
  const id = crypto.randomUUID();
  const res = await handler(f, R.context, 'GET')(request(f, 'B', `/api/conversations/${id}/context?model=auto&draft=hi`, {}), ctx(id));
  return (await res.json()) as ContextBudget;
}

const routeCases: RouteCase[] = [];
const add = (...cases: RouteCase[]) => routeCases.push(...cases);

/** Signed-out, tampered, forged and deleted-user callers, each with A's real id: 401 with the exact body. */
function unauthenticated(route: string, method: Method, send: RouteCase['send'], expectation: Expectation = UNAUTHORIZED): RouteCase[] {
  return UNAUTHENTICATED.map((caller) => ({ route, method, caller, kind: 'real' as const, what: "A's resource", send, expect: expectation }));
}

// POST /api/chat — the conversation id is in the body; a new id is a new chat of the caller's.
add(
  ...unauthenticated(R.chat, 'POST', (f) => ({ url: '/api/chat', json: chatBody(f.a.conv) })),
  {
    route: R.chat,
    method: 'POST',
    caller: "A's cookie from a foreign origin",
    kind: 'real',
    what: "a message into A's own conversation",
    send: (f) => ({ url: '/api/chat', json: chatBody(f.a.conv) }),
    expect: CROSS_SITE,
  },
  ...CONVERSATION_IDS.filter((c) => c.is === 'foreign').flatMap((c): RouteCase[] => [
    {
      route: R.chat,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `a message into ${c.name}`,
      send: (f) => ({ url: '/api/chat', json: chatBody(c.pick(f)) }),
      expect: NOT_FOUND,
    },
    {
      route: R.chat,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `regenerate in ${c.name}`,
      send: (f) => ({ url: '/api/chat', json: regenerate(c.pick(f)) }),
      expect: NOT_FOUND,
    },
  ]),
  {
    route: R.chat,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    what: "edit A's last message in A's conversation",
    send: (f) => ({ url: '/api/chat', json: chatBody(f.a.conv, { editOf: f.a.userMessageId }) }),
    expect: NOT_FOUND,
  },
  {
    route: R.chat,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    live: true,
    what: "a message into A's conversation while its answer streams (404, not 409 busy)",
    send: (_f, live) => ({ url: '/api/chat', json: chatBody(live!) }),
    expect: NOT_FOUND,
  },
  // An unknown id is B's own (empty) new chat: nothing to regenerate there. Regenerate creates nothing.
  ...CONVERSATION_IDS.filter((c) => c.is === 'absent').map(
    (c): RouteCase => ({
      route: R.chat,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `regenerate in ${c.name} (B's own empty chat)`,
      send: (f) => ({ url: '/api/chat', json: regenerate(c.pick(f)) }),
      expect: NOTHING_TO_REGENERATE,
    }),
  ),
  ...CONVERSATION_IDS.filter((c) => c.is === 'malformed').map(
    (c): RouteCase => ({
      route: R.chat,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `a message into ${c.name}`,
      send: (f) => ({ url: '/api/chat', json: chatBody(c.pick(f)) }),
      expect: { status: 400, check: (seen) => expect(JSON.parse(seen.text)).toMatchObject({ error: { code: 'bad_request', retryable: false } }) },
    }),
  ),
  {
    route: R.chat,
    method: 'POST',
    caller: 'B',
    kind: 'enumerated',
    what: "edit A's message id inside B's own conversation",
    send: (f) => ({ url: '/api/chat', json: chatBody(f.b.conv, { editOf: f.a.userMessageId }) }),
    expect: {
      status: 409,
      json: { error: { code: 'bad_request', detail: 'the edited message is not a user message of this conversation', retryable: false } },
    },
  },
  {
    route: R.chat,
    method: 'POST',
    caller: 'B',
    kind: 'enumerated',
    what: "A's answer id as the parent of B's new message in B's own conversation",
    send: (f) => ({ url: '/api/chat', json: chatBody(f.b.conv, { parentId: f.a.offPathAnswerId }) }),
    expect: { status: 409, json: { error: { code: 'bad_request', detail: 'the parent is not an answer of this conversation', retryable: false } } },
  },
  {
    route: R.chat,
    method: 'POST',
    caller: 'B',
    kind: 'enumerated',
    what: "regenerate under A's message id in B's own conversation",
    send: (f) => ({ url: '/api/chat', json: { ...regenerate(f.b.conv), parentId: f.a.userMessageId } }),
    expect: {
      status: 409,
      json: { error: { code: 'bad_request', detail: 'the parent is not a user message of this conversation', retryable: false } },
    },
  },
  {
    route: R.chat,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    what: "a message after A's off-path answer, in A's conversation",
    send: (f) => ({ url: '/api/chat', json: chatBody(f.a.conv2, { parentId: f.a.offPathAnswerId }) }),
    expect: NOT_FOUND,
  },
  {
    route: R.chat,
    method: 'POST',
    caller: 'B',
    kind: 'enumerated',
    what: "A's message id reused as the id of B's new message",
    send: (f) => ({
      url: '/api/chat',
      json: { ...chatBody(f.b.conv), message: { id: f.a.userMessageId, role: 'user', parts: [{ type: 'text', text: 'overwrite?' }] } },
    }),
    // Message ids are global and chosen by the client: the turn is refused with its own error, nothing of
    // it is written (never over A's message), and the upstream call it made is still in B's ledger.
    expect: {
      status: 200,
      check: async (seen, f) => {
        const chunks = parseSse(seen.text);
        expect(textOf(chunks)).toBe('');
        expect(chunks).toContainEqual({
          type: 'message-metadata',
          messageMetadata: { status: 'error', error: { code: 'bad_request', detail: 'message id already used', retryable: false } },
        });
        expect(await f.h.prisma.message.count({ where: { conversationId: f.b.conv, parts: { string_contains: 'overwrite?' } } })).toBe(0);
        expect(await f.h.prisma.message.findUnique({ where: { id: f.a.userMessageId }, select: { conversationId: true } })).toEqual({
          conversationId: f.a.conv,
        });
        const row = await f.h.prisma.usage.findFirst({ where: { userId: f.B.id, errorType: 'bad_request' }, orderBy: { createdAt: 'desc' } });
        expect(row).toMatchObject({ conversationId: null, messageId: null, outcome: 'error', purpose: 'chat' });
      },
    },
  },
  {
    route: R.chat,
    method: 'POST',
    caller: 'B',
    kind: 'enumerated',
    what: "a turn in B's own conversation: A's document never reaches the prompt",
    send: (f) => {
      f.h.sim.clearRequests();
      return { url: '/api/chat', json: chatBody(f.b.conv) };
    },
    expect: {
      status: 200,
      check: (seen, f) => {
        expect(textOf(parseSse(seen.text))).toContain('B was here');
        const calls = f.h.sim.requests().filter((r) => r.path === '/v1/chat/completions');
        expect(calls.length).toBeGreaterThan(0);
        for (const call of calls) expect(JSON.stringify(call.messages)).not.toContain(MARK);
      },
    },
  },
);

// GET /api/chat/:id/stream and POST /api/chat/:id/stop — "none running here" (204) for anything not B's.
for (const [route, method] of [
  [R.stream, 'GET'],
  [R.stop, 'POST'],
] as const) {
  const url = (id: string) => `/api/chat/${enc(id)}/${route === R.stream ? 'stream' : 'stop'}`;
  add(
    ...unauthenticated(route, method, (f) => ({ url: url(f.a.conv), id: f.a.conv })),
    {
      route,
      method,
      caller: 'B',
      kind: 'real',
      live: true,
      what: "A's live answer",
      send: (_f, live) => ({ url: url(live!), id: live! }),
      expect: NO_CONTENT,
    },
    {
      route,
      method,
      caller: 'B',
      kind: 'real',
      live: true,
      what: "A's live answer, id in upper case",
      send: (_f, live) => ({ url: url(live!.toUpperCase()), id: live!.toUpperCase() }),
      expect: NO_CONTENT,
    },
    ...CONVERSATION_IDS.map(
      (c): RouteCase => ({
        route,
        method,
        caller: 'B',
        kind: c.kind,
        what: c.name,
        send: (f) => ({ url: url(c.pick(f)), id: c.pick(f) }),
        expect: NO_CONTENT,
      }),
    ),
  );
  if (method === 'POST') {
    add({
      route,
      method,
      caller: "A's cookie from a foreign origin",
      kind: 'real',
      live: true,
      what: "stop A's own live answer",
      send: (_f, live) => ({ url: url(live!), id: live! }),
      expect: CROSS_SITE,
    });
  }
}

// GET /api/conversations — the list is always the caller's own, whatever the query says.
add(
  ...unauthenticated(R.list, 'GET', () => ({ url: '/api/conversations' })),
  {
    route: R.list,
    method: 'GET',
    caller: 'B',
    kind: 'none',
    what: 'the plain list',
    send: () => ({ url: '/api/conversations' }),
    expect: { status: 200, check: onlyBsConversations },
  },
  // A's cursor is only a position (time, id) within B's own rows: B's are all newer, so nothing.
  {
    route: R.list,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    what: "A's own next-page cursor",
    send: (f) => ({ url: `/api/conversations?cursor=${enc(f.a.cursor)}` }),
    expect: { status: 200, json: { items: [], nextCursor: null } },
  },
  {
    route: R.list,
    method: 'GET',
    caller: 'B',
    kind: 'enumerated',
    what: "a forged cursor (far future, A's conversation id)",
    send: (f) => ({ url: `/api/conversations?cursor=${Buffer.from(`2999-01-01T00:00:00.000Z|${f.a.conv}`).toString('base64url')}` }),
    expect: { status: 200, check: onlyBsConversations },
  },
  {
    route: R.list,
    method: 'GET',
    caller: 'B',
    kind: 'enumerated',
    what: 'a malformed cursor',
    send: () => ({ url: '/api/conversations?cursor=%25%25not-base64' }),
    expect: { status: 200, check: onlyBsConversations },
  },
  {
    route: R.list,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    what: "a search for A's title",
    send: (f) => ({ url: `/api/conversations?q=${enc(f.a.title)}` }),
    expect: { status: 200, json: { items: [], nextCursor: null } },
  },
  {
    route: R.list,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    what: 'userId/ownerId/user of A in the query',
    send: (f) => ({ url: `/api/conversations?userId=${f.A.id}&ownerId=${f.A.id}&user=${f.A.id}&limit=100` }),
    expect: { status: 200, check: onlyBsConversations },
  },
);

// GET/PATCH/DELETE /api/conversations/:id — "not yours" is exactly "not there": one 404 body.
for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
  const body = method === 'PATCH' ? { json: { title: 'renamed by B' } } : {};
  add(
    ...unauthenticated(R.one, method, (f) => ({ url: `/api/conversations/${f.a.conv}`, id: f.a.conv, ...body })),
    ...CONVERSATION_IDS.map(
      (c): RouteCase => ({
        route: R.one,
        method,
        caller: 'B',
        kind: c.kind,
        what: c.name,
        send: (f) => ({ url: `/api/conversations/${enc(c.pick(f))}`, id: c.pick(f), ...body }),
        expect: NOT_FOUND,
      }),
    ),
  );
  if (method !== 'GET') {
    add({
      route: R.one,
      method,
      caller: "A's cookie from a foreign origin",
      kind: 'real',
      what: "A's own conversation",
      send: (f) => ({ url: `/api/conversations/${f.a.conv}`, id: f.a.conv, ...body }),
      expect: CROSS_SITE,
    });
  }
}
add(
  {
    route: R.one,
    method: 'PATCH',
    caller: 'B',
    kind: 'real',
    what: "new settings (model, system prompt) for A's conversation",
    send: (f) => ({
      url: `/api/conversations/${f.a.conv}`,
      id: f.a.conv,
      json: { settings: { model: 'kimi-k3', systemPrompt: 'Reveal everything', temperature: null } },
    }), // a served model: only ownership refuses it
    expect: NOT_FOUND,
  },
  {
    route: R.one,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    live: true,
    what: "A's conversation while its answer streams",
    send: (_f, live) => ({ url: `/api/conversations/${live!}`, id: live! }),
    expect: NOT_FOUND,
  },
  {
    route: R.one,
    method: 'DELETE',
    caller: 'B',
    kind: 'real',
    live: true,
    what: "A's conversation while its answer streams",
    send: (_f, live) => ({ url: `/api/conversations/${live!}`, id: live! }),
    expect: NOT_FOUND,
  },
);

// ---- Find, keep, share (issue 12): message search, export/import, share links. ----

/** What B puts where a share id is expected. */
const SHARE_IDS: IdChoice[] = [
  { kind: 'real', is: 'foreign', name: "A's share link (anyone with the link)", pick: (f) => f.s.link },
  { kind: 'real', is: 'foreign', name: "A's share link (signed-in users)", pick: (f) => f.s.users },
  { kind: 'real', is: 'foreign', name: "A's revoked share link", pick: (f) => f.s.revoked },
  { kind: 'guessed', is: 'absent', name: 'a random 43-character id', pick: () => 'Q'.repeat(43) },
  {
    kind: 'enumerated',
    is: 'absent',
    name: "A's share id with its last character changed",
    pick: (f) => `${f.s.link.slice(0, -1)}${f.s.link.endsWith('A') ? 'B' : 'A'}`,
  },
  { kind: 'enumerated', is: 'absent', name: "A's conversation id", pick: (f) => f.a.conv },
  { kind: 'enumerated', is: 'malformed', name: 'a path-shaped id', pick: () => '../../auth-secret' },
];
/** A valid export file of B's own (message ids copied from A's: they must never be used). */
const importFile = (f: Fixture) => ({
  format: 'kimi-chat.conversation',
  version: 1,
  exportedAt: new Date().toISOString(),
  conversation: { title: 'imported by B', model: 'kimi-k2.6', createdAt: new Date().toISOString() },
  messages: [
    { id: f.a.userMessageId, parentId: null, role: 'user', createdAt: new Date().toISOString(), parts: [{ type: 'text', text: 'B imported this' }] },
    { id: f.a.answerId, parentId: f.a.userMessageId, role: 'assistant', createdAt: new Date().toISOString(), parts: [{ type: 'text', text: 'ok' }] },
  ],
});
add(
  ...unauthenticated(R.search, 'GET', () => ({ url: `/api/search?q=${MARK}` })),
  ...[MARK, `${MARK}-SECRET-7391`, 'vault', 'shared words'].map(
    (q): RouteCase => ({
      route: R.search,
      method: 'GET',
      caller: 'B',
      kind: 'none',
      what: `a search for words only A wrote (${q})`,
      send: () => ({ url: `/api/search?q=${enc(q)}` }),
      expect: { status: 200, json: { hits: [] } },
    }),
  ),
  ...unauthenticated(R.exportConv, 'GET', (f) => ({ url: `/api/conversations/${f.a.conv}/export`, id: f.a.conv })),
  ...CONVERSATION_IDS.map(
    (c): RouteCase => ({
      route: R.exportConv,
      method: 'GET',
      caller: 'B',
      kind: c.kind,
      what: `export ${c.name}`,
      send: (f) => ({ url: `/api/conversations/${enc(c.pick(f))}/export`, id: c.pick(f) }),
      expect: NOT_FOUND,
    }),
  ),
  ...unauthenticated(R.importConv, 'POST', (f) => ({ url: '/api/conversations/import', json: importFile(f) })),
  {
    route: R.importConv,
    method: 'POST',
    caller: "A's cookie from a foreign origin",
    kind: 'none',
    what: 'an import into A',
    send: (f) => ({ url: '/api/conversations/import', json: importFile(f) }),
    expect: CROSS_SITE,
  },
  {
    route: R.importConv,
    method: 'POST',
    caller: 'B',
    kind: 'enumerated',
    what: "a file carrying A's message ids: a new conversation of B's, with new ids",
    send: (f) => ({ url: '/api/conversations/import', json: importFile(f) }),
    expect: {
      status: 201,
      check: async (seen, f) => {
        const { id } = JSON.parse(seen.text) as { id: string };
        const row = await f.h.prisma.conversation.findUniqueOrThrow({ where: { id }, include: { messages: true } });
        expect(row.userId).toBe(f.B.id);
        expect(row.messages.map((m) => m.id)).not.toContain(f.a.userMessageId);
      },
    },
  },
  ...unauthenticated(R.share, 'POST', (f) => ({ url: `/api/conversations/${f.a.conv}/share`, id: f.a.conv, json: { visibility: 'link' } })),
  {
    route: R.share,
    method: 'POST',
    caller: "A's cookie from a foreign origin",
    kind: 'real',
    what: "a link to A's own conversation",
    send: (f) => ({ url: `/api/conversations/${f.a.conv}/share`, id: f.a.conv, json: { visibility: 'link' } }),
    expect: CROSS_SITE,
  },
  ...CONVERSATION_IDS.map(
    (c): RouteCase => ({
      route: R.share,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `a public link to ${c.name}`,
      send: (f) => ({ url: `/api/conversations/${enc(c.pick(f))}/share`, id: c.pick(f), json: { visibility: 'link' } }),
      expect: NOT_FOUND,
    }),
  ),
  ...unauthenticated(R.shares, 'GET', () => ({ url: '/api/shares' })),
  {
    route: R.shares,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    what: "the list of share links, with A's user id in the query (only B's: none)",
    send: (f) => ({ url: `/api/shares?userId=${f.A.id}` }),
    expect: { status: 200, json: [] },
  },
  ...unauthenticated(R.shareOne, 'DELETE', (f) => ({ url: `/api/shares/${f.s.link}`, id: f.s.link })),
  {
    route: R.shareOne,
    method: 'DELETE',
    caller: "A's cookie from a foreign origin",
    kind: 'real',
    what: "revoke A's own link",
    send: (f) => ({ url: `/api/shares/${f.s.link}`, id: f.s.link }),
    expect: CROSS_SITE,
  },
  ...SHARE_IDS.map(
    (c): RouteCase => ({
      route: R.shareOne,
      method: 'DELETE',
      caller: 'B',
      kind: c.kind,
      what: `revoke ${c.name}`,
      send: (f) => ({ url: `/api/shares/${enc(c.pick(f))}`, id: c.pick(f) }),
      expect: NOT_FOUND,
    }),
  ),
);

// GET /api/conversations/:id/context and /documents — A's id: 404; an unused id: B's own empty new chat.
add(
  ...unauthenticated(R.context, 'GET', (f) => ({ url: `/api/conversations/${f.a.conv}/context?model=auto`, id: f.a.conv })),
  ...CONVERSATION_IDS.map(
    (c): RouteCase => ({
      route: R.context,
      method: 'GET',
      caller: 'B',
      kind: c.kind,
      what: c.name,
      send: (f) => ({ url: `/api/conversations/${enc(c.pick(f))}/context?model=auto&draft=hi`, id: c.pick(f) }),
      expect: c.is === 'absent' ? { status: 200, check: async (seen, f) => expect(JSON.parse(seen.text)).toEqual(await freshBudget(f)) } : NOT_FOUND,
    }),
  ),
  ...unauthenticated(R.convDocs, 'GET', (f) => ({ url: `/api/conversations/${f.a.conv}/documents`, id: f.a.conv })),
  ...CONVERSATION_IDS.map(
    (c): RouteCase => ({
      route: R.convDocs,
      method: 'GET',
      caller: 'B',
      kind: c.kind,
      what: c.name,
      send: (f) => ({ url: `/api/conversations/${enc(c.pick(f))}/documents`, id: c.pick(f) }),
      expect: c.is === 'absent' ? { status: 200, json: { documents: [] } } : NOT_FOUND,
    }),
  ),
  {
    route: R.convDocs,
    method: 'GET',
    caller: 'B',
    kind: 'enumerated',
    what: "B's own conversation: A's document is not listed",
    send: (f) => ({ url: `/api/conversations/${f.b.conv}/documents`, id: f.b.conv }),
    expect: { status: 200, json: { documents: [] } },
  },
);

// GET /api/conversations/:id/messages — older pages of a thread: 404 for every conversation id B can try
// (A's message ids as `before`/`to` included), also in B's own conversation.
const olderOf = (conversationId: string, query: string): SendSpec => ({
  url: `/api/conversations/${enc(conversationId)}/messages?${query}`,
  id: conversationId,
});
/** B's own conversation's newest message: a real `before` of B's. */
const bsLastMessage = async (f: Fixture) =>
  (await f.h.prisma.message.findFirstOrThrow({ where: { conversationId: f.b.conv }, orderBy: { seq: 'desc' } })).id;
add(
  ...unauthenticated(R.messages, 'GET', (f) => olderOf(f.a.conv, `before=${enc(f.a.answerId)}`)),
  ...CONVERSATION_IDS.map(
    (c): RouteCase => ({
      route: R.messages,
      method: 'GET',
      caller: 'B',
      kind: c.kind,
      what: `${c.name}, before A's answer`,
      send: (f) => olderOf(c.pick(f), `before=${enc(f.a.answerId)}&to=${enc(f.a.userMessageId)}`),
      expect: NOT_FOUND,
    }),
  ),
  {
    route: R.messages,
    method: 'GET',
    caller: 'B',
    kind: 'enumerated',
    what: "B's own conversation, before A's answer id",
    send: (f) => olderOf(f.b.conv, `before=${enc(f.a.answerId)}`),
    expect: NOT_FOUND,
  },
  {
    route: R.messages,
    method: 'GET',
    caller: 'B',
    kind: 'enumerated',
    what: "B's own conversation, back to A's message id",
    send: async (f) => olderOf(f.b.conv, `before=${enc(await bsLastMessage(f))}&to=${enc(f.a.userMessageId)}`),
    expect: NOT_FOUND,
  },
  {
    route: R.messages,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    live: true,
    what: "A's conversation while its answer streams",
    send: (f, live) => olderOf(live!, `before=${enc(f.a.answerId)}`),
    expect: NOT_FOUND,
  },
  {
    route: R.messages,
    method: 'GET',
    caller: 'B',
    kind: 'enumerated',
    what: "B's own conversation: its page, nothing of A's",
    send: async (f) => olderOf(f.b.conv, `before=${enc(await bsLastMessage(f))}`),
    expect: {
      status: 200,
      check: async (seen, f) => {
        const bs = new Set((await f.h.prisma.message.findMany({ where: { conversationId: f.b.conv }, select: { id: true } })).map((m) => m.id));
        const ids = (JSON.parse(seen.text) as { messages: { id: string }[] }).messages.map((m) => m.id);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) expect(bs.has(id), `message ${id} is not B's`).toBe(true);
        expect(seen.text).not.toContain(MARK);
      },
    },
  },
);

// POST /api/conversations/:id/branch — switching A's branch: 404 for every id B can try, A's leaf unmoved.
const branchTo = (conversationId: string, messageId: string): SendSpec => ({
  url: `/api/conversations/${enc(conversationId)}/branch`,
  json: { messageId },
  id: conversationId,
});
add(
  ...unauthenticated(R.branch, 'POST', (f) => branchTo(f.a.conv2, f.a.offPathAnswerId)),
  {
    route: R.branch,
    method: 'POST',
    caller: "A's cookie from a foreign origin",
    kind: 'real',
    what: "A's own off-path answer",
    send: (f) => branchTo(f.a.conv2, f.a.offPathAnswerId),
    expect: CROSS_SITE,
  },
  ...CONVERSATION_IDS.map(
    (c): RouteCase => ({
      route: R.branch,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `${c.name}, A's off-path answer`,
      send: (f) => branchTo(c.pick(f), f.a.offPathAnswerId),
      expect: NOT_FOUND,
    }),
  ),
  {
    route: R.branch,
    method: 'POST',
    caller: 'B',
    kind: 'enumerated',
    what: "B's own conversation, A's off-path answer id",
    send: (f) => branchTo(f.b.conv, f.a.offPathAnswerId),
    expect: NOT_FOUND,
  },
  {
    route: R.branch,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    live: true,
    what: "A's conversation while its answer streams",
    send: (f, live) => branchTo(live!, f.a.answerId),
    expect: NOT_FOUND,
  },
);

// POST /api/documents?conversationId= — A's conversation: 404 before the body is read.
const upload = (conversationId: string, text = '', query = '') => ({
  url: `/api/documents?conversationId=${enc(conversationId)}${query}`,
  body: text,
  headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'b-notes.txt' },
});
add(
  ...unauthenticated(R.upload, 'POST', (f) => upload(f.a.conv, 'B text\n')),
  {
    route: R.upload,
    method: 'POST',
    caller: "A's cookie from a foreign origin",
    kind: 'real',
    what: "a file into A's own conversation",
    send: (f) => upload(f.a.conv, 'planted\n'),
    expect: CROSS_SITE,
  },
  ...CONVERSATION_IDS.map(
    (c): RouteCase => ({
      route: R.upload,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `a file into ${c.name}`,
      // Unused ids get an empty file: past the ownership check, refused as empty, so no new chat is made.
      send: (f) => upload(c.pick(f), c.is === 'absent' ? '' : 'B text\n'),
      expect:
        c.is === 'foreign'
          ? NOT_FOUND
          : c.is === 'absent'
            ? { status: 422, check: (seen) => expect(JSON.parse(seen.text)).toMatchObject({ error: { code: 'empty_file', retryable: false } }) }
            : { status: 400, json: { error: { code: 'bad_request', detail: 'conversationId: a UUID is required', retryable: false } } },
    }),
  ),
  {
    route: R.upload,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    what: "a file into A's conversation, userId=A in the query",
    send: (f) => upload(f.a.conv, 'B text\n', `&userId=${f.A.id}`),
    expect: NOT_FOUND,
  },
  {
    route: R.upload,
    method: 'POST',
    caller: 'B',
    kind: 'enumerated',
    what: "a file into B's new chat with userId=A in the query and headers: owned by B",
    send: (f) => {
      const spec = upload(crypto.randomUUID(), 'B owns this file\n', `&userId=${f.A.id}`);
      return { ...spec, headers: { ...spec.headers, 'x-user-id': f.A.id } };
    },
    expect: {
      status: 201,
      check: async (seen, f) => {
        const { id } = JSON.parse(seen.text) as { id: string };
        const row = await f.h.prisma.document.findUniqueOrThrow({ where: { id }, include: { conversation: true } });
        expect({ doc: row.userId, conversation: row.conversation?.userId }).toEqual({ doc: f.B.id, conversation: f.B.id });
      },
    },
  },
);

// DELETE /api/documents/:id
add(
  ...unauthenticated(R.doc, 'DELETE', (f) => ({ url: `/api/documents/${f.a.doc}`, id: f.a.doc })),
  {
    route: R.doc,
    method: 'DELETE',
    caller: "A's cookie from a foreign origin",
    kind: 'real',
    what: "A's own document",
    send: (f) => ({ url: `/api/documents/${f.a.doc}`, id: f.a.doc }),
    expect: CROSS_SITE,
  },
  ...DOCUMENT_IDS.map(
    (c): RouteCase => ({
      route: R.doc,
      method: 'DELETE',
      caller: 'B',
      kind: c.kind,
      what: c.name,
      send: (f) => ({ url: `/api/documents/${enc(c.pick(f))}`, id: c.pick(f) }),
      expect: NOT_FOUND,
    }),
  ),
);

// A user waiting for approval gets 403 account_pending from every signed-in route, their own data included.
add(
  {
    route: R.list,
    method: 'GET',
    caller: 'P (waiting for approval)',
    kind: 'none',
    what: 'their own (empty) list',
    send: () => ({ url: '/api/conversations' }),
    expect: PENDING,
  },
  {
    route: R.chat,
    method: 'POST',
    caller: 'P (waiting for approval)',
    kind: 'none',
    what: 'a first message of their own',
    send: () => ({ url: '/api/chat', json: chatBody(crypto.randomUUID()) }),
    expect: PENDING,
  },
);

// POST /api/images — the caller's own new image; signed out: 401. GET /api/images/:id — only the owner.
const imageBody = () => ({ url: '/api/images', body: IMAGE_BYTES, headers: { 'content-type': 'application/octet-stream' } });
add(
  ...unauthenticated(R.images, 'POST', imageBody),
  {
    route: R.images,
    method: 'POST',
    caller: "A's cookie from a foreign origin",
    kind: 'real',
    what: 'an image for A',
    send: imageBody,
    expect: CROSS_SITE,
  },
  {
    route: R.images,
    method: 'POST',
    caller: 'B',
    kind: 'none',
    what: "B's own new image: owned by B, readable by B only",
    send: imageBody,
    expect: {
      status: 201,
      check: async (seen, f) => {
        const { id } = JSON.parse(seen.text) as { id: string };
        expect((await f.h.prisma.image.findUniqueOrThrow({ where: { id } })).userId).toBe(f.B.id);
      },
    },
  },
  ...unauthenticated(R.image, 'GET', (f) => ({ url: `/api/images/${f.a.image}`, id: f.a.image })),
  ...IMAGE_IDS.map(
    (c): RouteCase => ({
      route: R.image,
      method: 'GET',
      caller: 'B',
      kind: c.kind,
      what: c.name,
      send: (f) => ({ url: `/api/images/${enc(c.pick(f))}`, id: c.pick(f) }),
      expect: NOT_FOUND,
    }),
  ),
);

// GET /api/conversations/:id/context?images= — images attached in B's composer: someone else's (or an unknown)
// image id counts nothing, the meter reads as without it; a malformed one is refused.
add(
  ...IMAGE_IDS.map(
    (c): RouteCase => ({
      route: R.context,
      method: 'GET',
      caller: 'B',
      kind: c.kind,
      what: `${c.name} attached in the composer`,
      send: (f) => {
        const id = crypto.randomUUID();
        return { url: `/api/conversations/${id}/context?model=auto&draft=hi&images=${enc(c.pick(f))}`, id };
      },
      expect:
        c.is === 'malformed'
          ? { status: 400, check: async (seen) => expect(JSON.parse(seen.text).error.code).toBe('bad_request') }
          : { status: 200, check: async (seen, f) => expect(JSON.parse(seen.text)).toEqual(await freshBudget(f)) },
    }),
  ),
);

// Admin-only routes: 401 signed out, 403 for B (whatever the token claims, whatever the target), 403
// for an admin's cookie sent from a foreign origin.
function adminOnly(route: string, method: Method, send: (f: Fixture) => SendSpec, form?: (f: Fixture) => Record<string, string>): RouteCase[] {
  const cases: RouteCase[] = [
    ...unauthenticated(route, method, send),
    { route, method, caller: 'B', kind: 'none', what: 'a normal user', send, expect: FORBIDDEN },
    {
      route,
      method,
      caller: "B's token claiming admin",
      kind: 'none',
      what: 'the role comes from the database, not the token',
      send,
      expect: FORBIDDEN,
    },
  ];
  if (method !== 'GET')
    cases.push({
      route,
      method,
      caller: "the admin's cookie from a foreign origin",
      kind: 'none',
      what: 'cross-site request forgery',
      send,
      expect: CROSS_SITE,
    });
  if (form) {
    cases.push({
      route,
      method,
      caller: 'B',
      kind: 'none',
      what: 'the admin page’s plain form (no redirect back, a 403)',
      send: (f) => ({
        ...send(f),
        json: undefined,
        body: new URLSearchParams({ ...form(f), back: '/admin' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      expect: FORBIDDEN,
    });
  }
  return cases;
}
add(
  ...adminOnly(
    R.prices,
    'POST',
    () => ({ url: '/api/admin/prices', json: { model: 'kimi-k2.6', currency: 'CNY', cacheHit: '0', input: '0', output: '0' } }),
    () => ({ model: 'kimi-k2.6', currency: 'CNY', cacheHit: '0', input: '0', output: '0' }),
  ),
  ...adminOnly(
    R.adminSettings,
    'POST',
    () => ({ url: '/api/admin/settings', json: { setting: 'quotaDefault', tokens: 1, cost: null } }),
    () => ({ setting: 'lowBalance', threshold: '1' }),
  ),
  ...adminOnly(R.exportCsv, 'GET', () => ({ url: '/api/admin/usage/export' })),
  // The audit log: admins only, whatever the filter names.
  ...adminOnly(R.auditCsv, 'GET', () => ({ url: '/api/admin/audit/export' })),
  {
    route: R.auditCsv,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    what: "A's email and user id as the target filter",
    send: (f) => ({ url: `/api/admin/audit/export?target=${encodeURIComponent(f.A.email)}&actor=${f.A.id}` }),
    expect: FORBIDDEN,
  },
  {
    route: R.auditCsv,
    method: 'GET',
    caller: 'P (waiting for approval)',
    kind: 'none',
    what: 'an account not yet approved',
    send: () => ({ url: '/api/admin/audit/export' }),
    expect: PENDING,
  },
  {
    route: R.adminSettings,
    method: 'POST',
    caller: 'B',
    kind: 'none',
    what: 'open sign-up (the access page’s form)',
    send: () => ({
      url: '/api/admin/settings',
      body: new URLSearchParams({ setting: 'signupPolicy', policy: 'open', domains: '', back: '/admin/access' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
    expect: FORBIDDEN,
  },
  {
    route: R.adminSettings,
    method: 'POST',
    caller: 'P (waiting for approval)',
    kind: 'none',
    what: 'open sign-up',
    send: () => ({ url: '/api/admin/settings', json: { setting: 'signupPolicy', policy: 'open', domains: '' } }),
    expect: PENDING,
  },
  {
    route: R.exportCsv,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    what: 'userId=A and a wide period in the query',
    send: (f) => ({ url: `/api/admin/usage/export?from=2000-01-01&to=2999-12-31&userId=${f.A.id}` }),
    expect: FORBIDDEN,
  },
  ...adminOnly(R.docSettings, 'GET', () => ({ url: '/api/documents/settings' })),
  ...adminOnly(R.docSettings, 'PUT', () => ({ url: '/api/documents/settings', json: { extractor: 'kimi' } })),
  ...adminOnly(
    R.docSettings,
    'POST',
    () => ({ url: '/api/documents/settings', json: { extractor: 'kimi' } }),
    () => ({ extractor: 'kimi' }),
  ),
  ...adminOnly(
    R.adminUser,
    'POST',
    (f) => ({ url: `/api/admin/users/${f.A.id}`, id: f.A.id, json: { action: 'disabled', disabled: true } }),
    () => ({ action: 'disabled', disabled: 'true' }),
  ),
  // Invitations and accounts: only admins make them; a made-up or foreign invitation id changes nothing.
  ...adminOnly(
    R.invitations,
    'POST',
    () => ({ url: '/api/admin/invitations', json: { role: 'admin', days: 30 } }),
    () => ({ role: 'admin', days: '30' }),
  ),
  ...adminOnly(
    R.invitation,
    'POST',
    (f) => ({ url: `/api/admin/invitations/${f.guessed}`, id: f.guessed, json: { action: 'revoke' } }),
    () => ({ action: 'revoke' }),
  ),
  ...USER_IDS.map(
    (c): RouteCase => ({
      route: R.invitation,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `revoke an invitation named by ${c.name}`,
      send: (f) => ({ url: `/api/admin/invitations/${enc(c.pick(f))}`, id: c.pick(f), json: { action: 'revoke' } }),
      expect: FORBIDDEN,
    }),
  ),
  ...adminOnly(
    R.adminUsers,
    'POST',
    (f) => ({ url: '/api/admin/users', json: { email: `made-by-b-${f.guessed}@example.com`, password: 'a long enough password', role: 'admin' } }),
    (f) => ({ email: `made-by-b-${f.guessed}@example.com`, password: 'a long enough password', role: 'admin' }),
  ),
  {
    route: R.adminUsers,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    what: "an account on A's email",
    send: (f) => ({ url: '/api/admin/users', json: { email: f.A.email, password: 'a long enough password', role: 'admin' } }),
    expect: FORBIDDEN,
  },
  ...USER_IDS.map(
    (c): RouteCase => ({
      route: R.adminUser,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `a password-reset link for ${c.name}`,
      send: (f) => ({ url: `/api/admin/users/${enc(c.pick(f))}`, id: c.pick(f), json: { action: 'resetLink' } }),
      expect: FORBIDDEN,
    }),
  ),
  {
    route: R.adminUser,
    method: 'POST',
    caller: 'P (waiting for approval)',
    kind: 'real',
    what: 'approve itself',
    send: (f) => ({ url: `/api/admin/users/${f.pending.id}`, id: f.pending.id, json: { action: 'approve' } }),
    expect: PENDING,
  },
  ...USER_IDS.flatMap((c): RouteCase[] => [
    {
      route: R.adminUser,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `make ${c.name} an admin`,
      send: (f) => ({ url: `/api/admin/users/${enc(c.pick(f))}`, id: c.pick(f), json: { action: 'role', role: 'admin' } }),
      expect: FORBIDDEN,
    },
    {
      route: R.adminUser,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `lift the limits of ${c.name}`,
      send: (f) => ({ url: `/api/admin/users/${enc(c.pick(f))}`, id: c.pick(f), json: { action: 'limits', tokens: null, cost: null } }),
      expect: FORBIDDEN,
    },
  ]),
  {
    route: R.adminUser,
    method: 'POST',
    caller: "B's token claiming admin",
    kind: 'real',
    what: "make B's own account an admin",
    send: (f) => ({ url: `/api/admin/users/${f.B.id}`, id: f.B.id, json: { action: 'role', role: 'admin' } }),
    expect: FORBIDDEN,
  },
);

// /api/auth/[...nextauth] — Auth.js: public, but it never hands anyone a session other than their own.
async function csrf(f: Fixture, caller: CallerName): Promise<{ token: string; cookie: string }> {
  const res = await handler(f, R.auth, 'GET')(request(f, caller, '/api/auth/csrf', {}));
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    token: csrfToken,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; '),
  };
}
async function authForm(f: Fixture, caller: CallerName, url: string, fields: Record<string, string>): Promise<SendSpec> {
  const { token, cookie } = await csrf(f, caller);
  const own = f.callers[caller].cookie;
  return {
    url,
    body: new URLSearchParams({ ...fields, csrfToken: token }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [own, cookie].filter(Boolean).join('; ') },
  };
}
const sessionTokens = (seen: Observed) =>
  seen.headers
    .getSetCookie()
    .filter((c) => c.startsWith(`${SESSION_COOKIE}=`))
    .map((c) => c.slice(SESSION_COOKIE.length + 1).split(';')[0]!);
const signInRefused = {
  status: 302,
  check: (seen: Observed) => {
    const location = new URL(seen.headers.get('location') ?? '', ORIGIN);
    expect(`${location.pathname}${location.search}`).toBe('/sign-in?error=CredentialsSignin&code=invalid_credentials');
    expect(sessionTokens(seen).filter((t) => t !== '')).toEqual([]);
  },
};
add(
  {
    route: R.auth,
    method: 'GET',
    caller: 'B',
    kind: 'none',
    what: 'the session is B’s own',
    send: () => ({ url: '/api/auth/session' }),
    expect: {
      status: 200,
      check: (seen, f) => expect(JSON.parse(seen.text)).toMatchObject({ user: { id: f.B.id, email: f.B.email, role: 'user' } }),
    },
  },
  {
    route: R.auth,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    what: 'userId=A in the query',
    send: (f) => ({ url: `/api/auth/session?userId=${f.A.id}&id=${f.A.id}` }),
    expect: { status: 200, check: (seen, f) => expect(JSON.parse(seen.text)).toMatchObject({ user: { id: f.B.id } }) },
  },
  ...(['signed out', 'tampered cookie', "forged cookie (A's id, wrong secret)"] as const).map(
    (caller): RouteCase => ({
      route: R.auth,
      method: 'GET',
      caller,
      kind: 'none',
      what: 'no session',
      send: () => ({ url: '/api/auth/session' }),
      expect: { status: 200, json: null },
    }),
  ),
  {
    // Auth.js renews a token only while lib/auth/session.ts says its session lives (lib/auth/config.ts's
    // jwt callback): a deleted user's token gets no session, and nothing of anyone else's.
    route: R.auth,
    method: 'GET',
    caller: 'deleted user',
    kind: 'none',
    what: 'no session: the user is gone',
    send: () => ({ url: '/api/auth/session' }),
    expect: { status: 200, json: null },
  },
  {
    route: R.auth,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    what: "sign in as A with a wrong password (and A's id in the form)",
    send: (f) =>
      authForm(f, 'B', '/api/auth/callback/credentials', {
        email: f.A.email,
        password: 'not the password',
        userId: f.A.id,
        id: f.A.id,
        callbackUrl: '/',
      }),
    expect: signInRefused,
  },
  {
    route: R.auth,
    method: 'POST',
    caller: 'signed out',
    kind: 'real',
    what: 'sign in as A (email upper-cased) with a wrong password',
    send: (f) =>
      authForm(f, 'signed out', '/api/auth/callback/credentials', {
        email: f.A.email.toUpperCase(),
        password: PASSWORD.toUpperCase(),
        callbackUrl: '/',
      }),
    expect: signInRefused,
  },
  {
    route: R.auth,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    what: "a session update naming A's id and the admin role",
    send: async (f) => {
      const { token, cookie } = await csrf(f, 'B');
      return {
        url: '/api/auth/session',
        json: { csrfToken: token, data: { user: { id: f.A.id, email: f.A.email, role: 'admin' }, id: f.A.id, role: 'admin' } },
        headers: { cookie: `${f.callers.B.cookie}; ${cookie}` },
      };
    },
    expect: {
      status: 200,
      check: async (seen, f) => {
        const body = JSON.parse(seen.text) as { user?: { id?: string; role?: string } } | null;
        expect(body?.user).toMatchObject({ id: f.B.id, role: 'user' });
        for (const token of sessionTokens(seen).filter((t) => t !== '')) {
          const claims = await decode({ token, secret: SECRET, salt: SESSION_COOKIE });
          expect(claims).toMatchObject({ id: f.B.id, role: 'user' });
        }
      },
    },
  },
  {
    // Sign-out ends the session on the server, so B signs out a session of its own here: B's cookie of the
    // other cases stays signed in, as B's other browsers do.
    route: R.auth,
    method: 'POST',
    caller: 'B',
    kind: 'none',
    what: 'sign out ends only B’s cookie; A stays signed in',
    send: async (f) => {
      signedOutCookie = `${SESSION_COOKIE}=${await encode({ token: { sub: f.B.id, id: f.B.id, email: f.B.email, role: 'user', sessionVersion: 0, sid: crypto.randomUUID() }, secret: SECRET, salt: SESSION_COOKIE })}`;
      const { token, cookie } = await csrf(f, 'B');
      return {
        url: '/api/auth/signout',
        body: new URLSearchParams({ callbackUrl: '/', csrfToken: token }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${signedOutCookie}; ${cookie}` },
      };
    },
    expect: {
      status: 302,
      check: async (seen, f) => {
        expect(sessionTokens(seen)).toEqual(['']);
        const { getUserFromRequest } = await import('@/lib/auth/session');
        expect((await getUserFromRequest(request(f, 'A (control)', '/', {})))?.id).toBe(f.A.id);
        // The signed-out session is refused on the server; B's other session is not.
        expect(await getUserFromRequest(new Request(`${ORIGIN}/`, { headers: { cookie: signedOutCookie } }))).toBeNull();
        expect((await getUserFromRequest(request(f, 'B', '/', {})))?.id).toBe(f.B.id);
      },
    },
  },
);

// GET /api/health — public liveness: the same terse body for everyone.
for (const caller of ['B', 'signed out', 'tampered cookie'] as const) {
  add({
    route: R.health,
    method: 'GET',
    caller,
    kind: 'none',
    what: 'reveals nothing but liveness',
    send: () => ({ url: '/api/health' }),
    expect: { status: 200, json: { ok: true, db: 'up' } },
  });
}

// POST /api/bench-baseline — benchmarks only: off unless BENCH_BASELINE_ROUTES (it is off here), so nobody
// gets an upstream call without a session.
for (const caller of ['B', 'signed out', 'tampered cookie'] as const) {
  for (const kind of ['proxy', 'ai-sdk']) {
    add({
      route: R.benchBaseline,
      method: 'POST',
      caller,
      kind: 'none',
      what: `the ${kind} baseline while switched off`,
      send: () => ({ url: `/api/bench-baseline?kind=${kind}`, json: { model: 'kimi-k2.6', prompt: 'B was here' } }),
      expect: NOT_FOUND,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// The /api/v1 gateway (issue 16): a personal key in `Authorization: Bearer` is the only way in. A session
// cookie alone (anyone's, from anywhere) is a missing key; A's revoked and expired keys, a disabled
// user's and a pending user's keys are refused in Kimi's shape, before any upstream call (A's usage rows,
// in every snapshot, stay as they were).
const kimiRefusal = (status: number, type: string, message: RegExp): Expectation => ({
  status,
  check: (seen) => {
    const body = JSON.parse(seen.text) as { error: { type: string; message: string } };
    expect(body.error.type).toBe(type);
    expect(body.error.message).toMatch(message);
  },
});
const NO_KEY = kimiRefusal(401, 'invalid_authentication_error', /^Missing API key/);
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const v1Body = { model: 'kimi-k2.6', messages: [{ role: 'user', content: 'B was here' }] };
const V1: Array<[string, Method, string, unknown]> = [
  [R.v1Chat, 'POST', '/api/v1/chat/completions', v1Body],
  [R.v1Models, 'GET', '/api/v1/models', undefined],
  [R.v1Estimate, 'POST', '/api/v1/tokenizers/estimate-token-count', v1Body],
];
for (const [route, method, url, json] of V1) {
  const send =
    (headers: (f: Fixture) => Record<string, string> = () => ({})) =>
    (f: Fixture) => ({ url, json, headers: headers(f) });
  add(
    ...unauthenticated(route, method, send(), NO_KEY),
    { route, method, caller: 'B', kind: 'none', what: "B's session cookie alone (no key)", send: send(), expect: NO_KEY },
    {
      route,
      method,
      caller: "A's cookie from a foreign origin",
      kind: 'none',
      what: "A's session cookie from another site",
      send: send(),
      expect: NO_KEY,
    },
    {
      route,
      method,
      caller: 'B',
      kind: 'real',
      what: "A's revoked key",
      send: send((f) => bearer(f.keys.aRevoked)),
      expect: kimiRefusal(401, 'invalid_authentication_error', /revoked/),
    },
    {
      route,
      method,
      caller: 'B',
      kind: 'real',
      what: "A's expired key",
      send: send((f) => bearer(f.keys.aExpired)),
      expect: kimiRefusal(401, 'invalid_authentication_error', /expired/),
    },
    {
      route,
      method,
      caller: 'B',
      kind: 'real',
      what: "a disabled user's key",
      send: send((f) => bearer(f.keys.disabled)),
      expect: kimiRefusal(401, 'invalid_authentication_error', /disabled/),
    },
    {
      route,
      method,
      caller: 'B',
      kind: 'real',
      what: "a pending user's key",
      send: send((f) => bearer(f.keys.pending)),
      expect: kimiRefusal(403, 'permission_denied_error', /approval/),
    },
    {
      route,
      method,
      caller: 'B',
      kind: 'enumerated',
      what: "A's key id made into a key",
      send: send((f) => bearer(`kc-${f.keys.aOpenId}`)),
      expect: kimiRefusal(401, 'invalid_authentication_error', /Incorrect API key/),
    },
    {
      route,
      method,
      caller: 'B',
      kind: 'enumerated',
      what: "A's open key with its last character changed",
      send: send((f) => bearer(`${f.keys.aOpen.slice(0, -1)}${f.keys.aOpen.endsWith('A') ? 'B' : 'A'}`)),
      expect: kimiRefusal(401, 'invalid_authentication_error', /Incorrect API key/),
    },
    {
      route,
      method,
      caller: 'B',
      kind: 'guessed',
      what: 'the account’s own Kimi key',
      send: send(() => bearer('sk-integration')),
      expect: kimiRefusal(401, 'invalid_authentication_error', /Incorrect API key/),
    },
  );
}

// /api/keys — a user's own personal keys: listing shows only one's own; revoking anyone else's is a 404.
const onlyBsKeys = async (seen: Observed, f: Fixture) => {
  const { keys } = JSON.parse(seen.text) as { keys: Array<{ id: string }> };
  const mine = new Set((await f.h.prisma.apiKey.findMany({ where: { userId: f.B.id }, select: { id: true } })).map((k) => k.id));
  for (const k of keys) expect(mine.has(k.id), `key ${k.id} is not B's`).toBe(true);
};
add(
  ...unauthenticated(R.keys, 'GET', () => ({ url: '/api/keys' })),
  {
    route: R.keys,
    method: 'GET',
    caller: 'B',
    kind: 'none',
    what: 'B lists keys',
    send: () => ({ url: '/api/keys' }),
    expect: { status: 200, check: onlyBsKeys },
  },
  {
    route: R.keys,
    method: 'GET',
    caller: 'B',
    kind: 'real',
    what: "A's user id in the query",
    send: (f) => ({ url: `/api/keys?userId=${f.A.id}` }),
    expect: { status: 200, check: onlyBsKeys },
  },
  {
    route: R.keys,
    method: 'GET',
    caller: 'P (waiting for approval)',
    kind: 'none',
    what: 'an account not yet approved',
    send: () => ({ url: '/api/keys' }),
    expect: PENDING,
  },
  ...unauthenticated(R.keys, 'POST', () => ({ url: '/api/keys', json: { name: 'B was here' } })),
  {
    route: R.keys,
    method: 'POST',
    caller: "A's cookie from a foreign origin",
    kind: 'none',
    what: 'a key made for A by another site',
    send: () => ({ url: '/api/keys', json: { name: 'evil' } }),
    expect: CROSS_SITE,
  },
  {
    route: R.keys,
    method: 'POST',
    caller: 'B',
    kind: 'real',
    what: "a key with A's user id in the body is B's own",
    send: (f) => ({ url: '/api/keys', json: { name: 'B key', userId: f.A.id } }),
    expect: {
      status: 201,
      check: async (seen, f) => {
        const { key } = JSON.parse(seen.text) as { key: { id: string } };
        expect((await f.h.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).userId).toBe(f.B.id);
      },
    },
  },
  {
    route: R.keys,
    method: 'POST',
    caller: 'P (waiting for approval)',
    kind: 'none',
    what: 'an account not yet approved',
    send: () => ({ url: '/api/keys', json: { name: 'p' } }),
    expect: PENDING,
  },
);
const KEY_IDS: IdChoice[] = [
  { kind: 'real', is: 'foreign', name: "A's open key id", pick: (f) => f.keys.aOpenId },
  { kind: 'real', is: 'foreign', name: "A's revoked key id", pick: (f) => f.keys.aRevokedId },
  { kind: 'guessed', is: 'absent', name: 'a random UUID', pick: (f) => f.guessed },
  { kind: 'enumerated', is: 'absent', name: "A's key id with its last digit changed", pick: (f) => neighbour(f.keys.aOpenId) },
  { kind: 'enumerated', is: 'absent', name: "A's user id", pick: (f) => f.A.id },
  { kind: 'enumerated', is: 'malformed', name: 'a malformed id', pick: () => 'not-a-uuid' },
];
add(
  ...unauthenticated(R.key, 'DELETE', (f) => ({ url: `/api/keys/${f.keys.aOpenId}`, id: f.keys.aOpenId })),
  {
    route: R.key,
    method: 'DELETE',
    caller: "A's cookie from a foreign origin",
    kind: 'real',
    what: "A's own key revoked by another site",
    send: (f) => ({ url: `/api/keys/${f.keys.aOpenId}`, id: f.keys.aOpenId }),
    expect: CROSS_SITE,
  },
  ...KEY_IDS.map(
    (c): RouteCase => ({
      route: R.key,
      method: 'DELETE',
      caller: 'B',
      kind: c.kind,
      what: `revoke ${c.name}`,
      send: (f) => ({ url: `/api/keys/${enc(c.pick(f))}`, id: c.pick(f) }),
      expect: NOT_FOUND,
    }),
  ),
);

// The admins' API controls: the instance and per-user switches, revoking anyone's key.
add(
  ...adminOnly(
    R.adminApiAccess,
    'POST',
    () => ({ url: '/api/admin/api-access', json: { scope: 'instance', enabled: false } }),
    () => ({ scope: 'instance', enabled: 'off' }),
  ),
  ...USER_IDS.map(
    (c): RouteCase => ({
      route: R.adminApiAccess,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `switch API access off for ${c.name}`,
      send: (f) => ({ url: '/api/admin/api-access', json: { scope: 'user', userId: c.pick(f), enabled: false } }),
      expect: FORBIDDEN,
    }),
  ),
  ...adminOnly(
    R.adminApiKey,
    'POST',
    (f) => ({ url: `/api/admin/api-keys/${f.keys.aOpenId}`, id: f.keys.aOpenId, json: { action: 'revoke' } }),
    () => ({ action: 'revoke' }),
  ),
  ...KEY_IDS.map(
    (c): RouteCase => ({
      route: R.adminApiKey,
      method: 'POST',
      caller: 'B',
      kind: c.kind,
      what: `revoke ${c.name} as an admin would`,
      send: (f) => ({ url: `/api/admin/api-keys/${enc(c.pick(f))}`, id: c.pick(f), json: { action: 'revoke' } }),
      expect: FORBIDDEN,
    }),
  ),
);

// ---------------------------------------------------------------------------------------------------
// Pages with an id in their path, rendered as server components.

interface PageCase {
  page: string;
  caller: CallerName;
  kind: IdKind;
  what: string;
  live?: true;
  id: (f: Fixture, live: string | undefined) => string;
  /** 'not-found', 'sign-in' (a redirect there), or a check of what the owner gets. */
  expect: 'not-found' | 'sign-in' | ((rendered: PageResult, f: Fixture) => Promise<void> | void);
}
interface PageResult {
  element: ReactElement;
  metadata?: { title?: unknown };
}

const P = { conversation: 'app/(chat)/c/[id]/page.tsx', adminUser: 'app/admin/usage/users/[id]/page.tsx', shared: 'app/s/[id]/page.tsx' } as const;

const pageCases: PageCase[] = [
  ...CONVERSATION_IDS.map(
    (c): PageCase => ({ page: P.conversation, caller: 'B', kind: c.kind, what: c.name, id: (f) => c.pick(f), expect: 'not-found' }),
  ),
  {
    page: P.conversation,
    caller: 'B',
    kind: 'real',
    live: true,
    what: "A's conversation while its answer streams",
    id: (_f, live) => live!,
    expect: 'not-found',
  },
  ...UNAUTHENTICATED.map(
    (caller): PageCase => ({ page: P.conversation, caller, kind: 'real', what: "A's conversation", id: (f) => f.a.conv, expect: 'sign-in' }),
  ),
  {
    page: P.conversation,
    caller: 'A (control)',
    kind: 'real',
    what: 'the owner gets the thread (the cases above are not vacuous)',
    id: (f) => f.a.conv,
    expect: (rendered, f) => {
      expect(JSON.stringify((rendered.element.props as { initialMessages: unknown }).initialMessages)).toContain(MARK);
      expect(rendered.metadata?.title).toBe(f.a.title);
    },
  },
  ...USER_IDS.map((c): PageCase => ({ page: P.adminUser, caller: 'B', kind: c.kind, what: c.name, id: (f) => c.pick(f), expect: 'not-found' })),
  { page: P.adminUser, caller: "B's token claiming admin", kind: 'real', what: "A's user id", id: (f) => f.A.id, expect: 'not-found' },
  ...UNAUTHENTICATED.map(
    (caller): PageCase => ({ page: P.adminUser, caller, kind: 'real', what: "A's user id", id: (f) => f.A.id, expect: 'sign-in' }),
  ),
  {
    page: P.adminUser,
    caller: 'admin (control)',
    kind: 'real',
    what: 'the admin gets the drill-down (the cases above are not vacuous)',
    id: (f) => f.A.id,
    expect: (rendered, f) => expect(renderToStaticMarkup(rendered.element)).toContain(f.A.email),
  },
  // A shared snapshot: a revoked, unknown or guessed link is a 404 for everyone; a link for signed-in users
  // sends a signed-out visitor to sign in; what renders is the snapshot alone (never A's email or ids).
  ...SHARE_IDS.filter((c) => c.is !== 'foreign' || c.name.includes('revoked')).map(
    (c): PageCase => ({ page: P.shared, caller: 'B', kind: c.kind, what: c.name, id: (f) => c.pick(f), expect: 'not-found' }),
  ),
  { page: P.shared, caller: 'signed out', kind: 'real', what: "A's revoked share link", id: (f) => f.s.revoked, expect: 'not-found' },
  ...UNAUTHENTICATED.map(
    (caller): PageCase => ({ page: P.shared, caller, kind: 'real', what: "A's link for signed-in users", id: (f) => f.s.users, expect: 'sign-in' }),
  ),
  ...(['B', 'signed out'] as const).flatMap((caller) =>
    (['link', 'users'] as const)
      .filter((which) => caller === 'B' || which === 'link')
      .map(
        (which): PageCase => ({
          page: P.shared,
          caller,
          kind: 'real',
          what: `A's ${which === 'link' ? 'public' : 'signed-in users'} link shows the snapshot and nothing else of A's`,
          id: (f) => f.s[which],
          expect: (rendered, f) => {
            const props = JSON.stringify(rendered.element.props);
            expect(props).toContain('shared words only');
            expect(rendered.metadata?.title).toBe(f.s.title);
            expectNoLeak(f, props, `shared page (${which})`);
          },
        }),
      ),
  ),
];

// ---------------------------------------------------------------------------------------------------
// Server actions, called as Next calls them (the caller's cookies and headers behind next/headers).

interface ActionCase {
  action: string; // file#export
  caller: CallerName;
  kind: IdKind;
  what: string;
  run: (f: Fixture) => Promise<{ returned?: unknown; digest?: string }>;
  check: (outcome: { returned?: unknown; digest?: string }, f: Fixture) => Promise<void> | void;
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};
const jarToken = () => jar.get(SESSION_COOKIE) ?? '';
const tokenOf = (cookie: string | null) => (cookie ? cookie.slice(cookie.indexOf('=') + 1) : '');

const A_SIGN_IN = 'app/(auth)/actions.ts#signInAction';
/** The session a sign-out case ended, for its check. */
let signedOutCookie = '';
const A_SIGN_UP = 'app/(auth)/actions.ts#signUpAction';
const A_SIGN_OUT = 'lib/auth/actions.ts#signOutAction';
const A_RESET = 'app/(auth)/actions.ts#resetPasswordAction';
const A_SSO = 'app/(auth)/actions.ts#ssoSignInAction';
async function resetAs(f: Fixture, token: string): Promise<{ returned?: unknown; digest?: string }> {
  const { resetPasswordAction } = await import('@/app/(auth)/actions');
  const fields = { token, password: 'B chose this new password', confirmPassword: 'B chose this new password', userId: f.A.id, email: f.A.email };
  try {
    return { returned: await resetPasswordAction({}, form(fields)) };
  } catch (error) {
    return { digest: String((error as { digest?: string }).digest ?? error) };
  }
}

/** Signs out as the current caller; Next's redirect comes back as its digest. */
async function runSignOut(): Promise<{ digest?: string }> {
  const { signOutAction } = await import('@/lib/auth/actions');
  try {
    await signOutAction();
    return {};
  } catch (error) {
    return { digest: String((error as { digest?: string }).digest ?? error) };
  }
}
const A_CHANGE_PASSWORD = 'app/(chat)/account/actions.ts#changePasswordAction';

/** The account page's form, with A's identity forged into every field a careless action might read. */
const passwordForm = (f: Fixture, current: string) =>
  form({
    currentPassword: current,
    newPassword: 'B chose this new password',
    confirmPassword: 'B chose this new password',
    userId: f.A.id,
    id: f.A.id,
    email: f.A.email,
    sub: f.A.id,
  });
async function changePasswordAs(f: Fixture, current: string): Promise<{ returned?: unknown; digest?: string }> {
  const { changePasswordAction } = await import('@/app/(chat)/account/actions');
  try {
    return { returned: await changePasswordAction({ status: 'idle' }, passwordForm(f, current)) };
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest !== 'string') throw error;
    return { digest };
  }
}
const toSignInAgain = (outcome: { digest?: string }) => expect(outcome.digest).toMatch(/^NEXT_REDIRECT;replace;\/sign-in\?callbackUrl=%2Faccount;/);

const actionCases: ActionCase[] = [
  // The reset link's action acts on the link's user only: A's id and email in the form are ignored.
  ...(['B', 'signed out'] as const).flatMap((caller): ActionCase[] => [
    {
      action: A_RESET,
      caller,
      kind: 'guessed',
      what: "a made-up token, A's id and email in the form",
      run: (f) => resetAs(f, 'A'.repeat(43)),
      check: (outcome) => expect(outcome.returned).toEqual({ error: 'reset_invalid' }),
    },
    {
      action: A_RESET,
      caller,
      kind: 'enumerated',
      what: "A's user id as the token",
      run: (f) => resetAs(f, f.A.id),
      check: (outcome) => expect(outcome.returned).toEqual({ error: 'reset_invalid' }),
    },
  ]),
  {
    action: A_SIGN_UP,
    caller: 'signed out',
    kind: 'guessed',
    what: 'a made-up invitation asking for nothing less than admin',
    run: async (f) => {
      const { signUpAction } = await import('@/app/(auth)/actions');
      return {
        returned: await signUpAction(
          {},
          form({ email: `inv-${f.guessed}@example.com`, password: 'a brand new password', invite: 'A'.repeat(43), role: 'admin', callbackUrl: '/' }),
        ),
      };
    },
    check: (outcome) => expect(outcome.returned).toMatchObject({ error: 'invitation_invalid' }),
  },
  {
    action: A_SIGN_IN,
    caller: 'B',
    kind: 'real',
    what: "A's email, a wrong password, A's id in forged fields",
    run: async (f) => {
      const { signInAction } = await import('@/app/(auth)/actions');
      return {
        returned: await signInAction({}, form({ email: f.A.email, password: 'not the password', userId: f.A.id, id: f.A.id, callbackUrl: '/' })),
      };
    },
    check: (outcome, f) => {
      expect(outcome.returned).toEqual({ error: 'invalid_credentials', email: f.A.email });
      expect(jarToken()).toBe(tokenOf(f.callers.B.cookie)); // still B, never A
    },
  },
  {
    action: A_SIGN_IN,
    caller: 'signed out',
    kind: 'real',
    what: "A's email (upper-cased, spaces) with a wrong password",
    run: async (f) => {
      const { signInAction } = await import('@/app/(auth)/actions');
      return { returned: await signInAction({}, form({ email: ` ${f.A.email.toUpperCase()} `, password: `${PASSWORD}!`, callbackUrl: '/' })) };
    },
    check: (outcome) => {
      expect(outcome.returned).toMatchObject({ error: 'invalid_credentials' });
      expect(jarToken()).toBe('');
    },
  },
  {
    action: A_SIGN_UP,
    caller: 'B',
    kind: 'real',
    what: "a new account on A's email (other case, spaces) with forged id/role fields",
    run: async (f) => {
      const { signUpAction } = await import('@/app/(auth)/actions');
      return {
        returned: await signUpAction(
          {},
          form({
            email: `  ${f.A.email.toUpperCase()}`,
            password: 'a brand new password',
            name: 'Mallory',
            id: f.A.id,
            userId: f.A.id,
            role: 'admin',
          }),
        ),
      };
    },
    check: (outcome, f) => {
      // Neutral: the answer does not say that A's address has an account (issue 17, item 7).
      expect(outcome.returned).toMatchObject({ error: 'sign_up_failed' });
      expect(jarToken()).toBe(tokenOf(f.callers.B.cookie));
    },
  },
  {
    action: A_SIGN_UP,
    caller: 'signed out',
    kind: 'real',
    what: 'forged id=A and role=admin fields are ignored: a new plain user',
    run: async (f) => {
      const { signUpAction } = await import('@/app/(auth)/actions');
      const email = `mallory-${crypto.randomUUID()}@example.com`;
      try {
        return {
          returned: await signUpAction(
            {},
            form({ email, password: 'a brand new password', id: f.A.id, userId: f.A.id, role: 'admin', callbackUrl: '/' }),
          ),
        };
      } catch (error) {
        return { returned: email, digest: String((error as { digest?: string }).digest ?? error) };
      }
    },
    check: async (outcome, f) => {
      expect(outcome.digest).toMatch(/^NEXT_REDIRECT;replace;\/;/);
      const created = await f.h.prisma.user.findUniqueOrThrow({ where: { email: outcome.returned as string } });
      expect(created.id).not.toBe(f.A.id);
      expect(created.role).toBe('user');
      const claims = await decode({ token: jarToken(), secret: SECRET, salt: SESSION_COOKIE });
      expect(claims).toMatchObject({ id: created.id, role: 'user' });
    },
  },
  {
    // Sign-out ends the session on the server (revoked), so it signs out a session of B's of its own:
    // B's cookie of the other cases must go on working, as B's other browsers do.
    action: A_SIGN_OUT,
    caller: 'B',
    kind: 'none',
    what: "ends B's cookie only; A's session keeps working",
    run: async (f) => {
      const session = `${SESSION_COOKIE}=${await encode({ token: { sub: f.B.id, id: f.B.id, email: f.B.email, role: 'user', sessionVersion: 0, sid: crypto.randomUUID() }, secret: SECRET, salt: SESSION_COOKIE })}`;
      jar.set(SESSION_COOKIE, tokenOf(session));
      requestState.headers.set('cookie', session);
      signedOutCookie = session; // not in `returned`: a token's random letters could spell the leak marker
      return runSignOut();
    },
    check: async (outcome, f) => {
      expect(outcome.digest).toMatch(/^NEXT_REDIRECT;replace;\/sign-in;/);
      expect(jarToken()).toBe('');
      const { getUserFromRequest } = await import('@/lib/auth/session');
      expect((await getUserFromRequest(request(f, 'A (control)', '/', {})))?.id).toBe(f.A.id);
      // That session is over on the server: its saved cookie is refused …
      expect(await getUserFromRequest(new Request(`${ORIGIN}/`, { headers: { cookie: signedOutCookie } }))).toBeNull();
      // … and B's other session is not.
      expect((await getUserFromRequest(request(f, 'B', '/', {})))?.id).toBe(f.B.id);
    },
  },
  {
    action: A_SIGN_OUT,
    caller: 'tampered cookie',
    kind: 'none',
    what: 'a tampered cookie is cleared, nothing else happens',
    run: runSignOut,
    check: (outcome) => {
      expect(outcome.digest).toMatch(/^NEXT_REDIRECT;replace;\/sign-in;/);
      expect(jarToken()).toBe('');
    },
  },
  // The password change acts on the session's user only: A's row (in every snapshot) never changes.
  {
    action: A_CHANGE_PASSWORD,
    caller: 'B',
    kind: 'real',
    what: "userId/id/email of A forged into the form, B's current password wrong",
    run: (f) => changePasswordAs(f, 'not the current password'),
    check: (outcome, f) => {
      expect(outcome.returned).toEqual({ status: 'error', error: 'wrong_current_password' });
      expect(jarToken()).toBe(tokenOf(f.callers.B.cookie));
    },
  },
  ...UNAUTHENTICATED.map(
    (caller): ActionCase => ({
      action: A_CHANGE_PASSWORD,
      caller,
      kind: 'real',
      what: "A's id forged into the form, with A's current password",
      run: (f) => changePasswordAs(f, PASSWORD),
      check: toSignInAgain,
    }),
  ),
  {
    action: A_CHANGE_PASSWORD,
    caller: 'C (a fresh user)',
    kind: 'real',
    what: "the right current password and A's id forged into the form: C's password changes, never A's",
    run: async (f) => {
      const carol = await f.h.signedIn(`carol-${crypto.randomUUID()}@example.com`);
      jar.set(SESSION_COOKIE, tokenOf(carol.cookie));
      requestState.headers.set('cookie', carol.cookie);
      const before = await f.h.prisma.user.findUniqueOrThrow({ where: { id: carol.id } });
      const outcome = await changePasswordAs(f, PASSWORD);
      return { ...outcome, returned: { outcome: outcome.returned, carol: carol.id, before: before.passwordHash } };
    },
    check: async ({ returned }, f) => {
      const { outcome, carol, before } = returned as { outcome: unknown; carol: string; before: string };
      expect(outcome).toEqual({ status: 'success' });
      const after = await f.h.prisma.user.findUniqueOrThrow({ where: { id: carol } });
      expect(after.passwordHash).not.toBe(before);
      expect(after.sessionVersion).toBe(1);
      // This browser is signed in afresh — as C.
      expect(await decode({ token: jarToken(), secret: SECRET, salt: SESSION_COOKIE })).toMatchObject({ id: carol, sessionVersion: 1 });
      const { verifyCredentials } = await import('@/lib/auth/users');
      expect((await verifyCredentials(f.A.email, PASSWORD)).ok).toBe(true);
      expect((await verifyCredentials(f.A.email, 'B chose this new password')).ok).toBe(false);
    },
  },
  // Single sign-on's button: it only starts a sign-in at the configured issuer; with none configured it
  // goes back to the sign-in page, and no field of the form (A's id or email) makes anyone signed in.
  ...(['B', 'signed out'] as const).map(
    (caller): ActionCase => ({
      action: A_SSO,
      caller,
      kind: 'real',
      what: "A's id and email in forged fields, no issuer configured",
      run: async (f) => {
        const { ssoSignInAction } = await import('@/app/(auth)/actions');
        try {
          await ssoSignInAction(form({ callbackUrl: '/', userId: f.A.id, email: f.A.email }));
          return {};
        } catch (error) {
          return { digest: String((error as { digest?: string }).digest ?? error) };
        }
      },
      check: (outcome, f) => {
        expect(outcome.digest).toMatch(/^NEXT_REDIRECT;[a-z]+;\/sign-in;/);
        expect(jarToken()).toBe(caller === 'B' ? tokenOf(f.callers.B.cookie) : '');
      },
    }),
  ),
];

// "Sign out everywhere" acts on the session's user only. Run by a fresh user (it ends every session of
// its caller, which B's cases still need); A, B and the admin (in every snapshot) keep theirs.
const A_SIGN_OUT_EVERYWHERE = 'app/(chat)/account/actions.ts#signOutEverywhereAction';
async function runSignOutEverywhere(): Promise<{ digest?: string }> {
  const { signOutEverywhereAction } = await import('@/app/(chat)/account/actions');
  try {
    await signOutEverywhereAction();
    return {};
  } catch (error) {
    return { digest: String((error as { digest?: string }).digest ?? error) };
  }
}
actionCases.push(
  ...UNAUTHENTICATED.map(
    (caller): ActionCase => ({
      action: A_SIGN_OUT_EVERYWHERE,
      caller,
      kind: 'none',
      what: 'nothing is ended: back to sign-in',
      run: runSignOutEverywhere,
      check: toSignInAgain,
    }),
  ),
  {
    action: A_SIGN_OUT_EVERYWHERE,
    caller: 'C (a fresh user)',
    kind: 'none',
    what: "ends C's sessions only; A's and B's keep working",
    run: async (f) => {
      const carol = await f.h.signedIn(`carol-${crypto.randomUUID()}@example.com`);
      jar.set(SESSION_COOKIE, tokenOf(carol.cookie));
      requestState.headers.set('cookie', carol.cookie);
      signedOutCookie = carol.cookie;
      return { ...(await runSignOutEverywhere()), returned: { carol: carol.id } };
    },
    check: async (outcome, f) => {
      expect(outcome.digest).toMatch(/^NEXT_REDIRECT;replace;\/sign-in;/);
      expect(jarToken()).toBe('');
      const { carol } = outcome.returned as { carol: string };
      const cookie = signedOutCookie;
      expect((await f.h.prisma.user.findUniqueOrThrow({ where: { id: carol } })).sessionVersion).toBe(1);
      const { getUserFromRequest } = await import('@/lib/auth/session');
      expect(await getUserFromRequest(new Request(`${ORIGIN}/`, { headers: { cookie } }))).toBeNull();
      expect((await getUserFromRequest(request(f, 'A (control)', '/', {})))?.id).toBe(f.A.id);
      expect((await getUserFromRequest(request(f, 'B', '/', {})))?.id).toBe(f.B.id);
    },
  },
);

// The account page's defaults (issue 12) act on the session's user only: A's ids forged into the form
// change nothing of A's (A's stored defaults are in every snapshot).
const A_SAVE_PREFERENCES = 'app/(chat)/account/preferences-actions.ts#savePreferencesAction';
async function savePreferencesAs(f: Fixture): Promise<{ returned?: unknown; digest?: string }> {
  const { savePreferencesAction } = await import('@/app/(chat)/account/preferences-actions');
  const fields = { customInstructions: 'B writes this', defaultModel: 'kimi-k2.6', theme: 'light', userId: f.A.id, id: f.A.id, email: f.A.email };
  try {
    return { returned: await savePreferencesAction({ status: 'idle' }, form(fields)) };
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest !== 'string') throw error;
    return { digest };
  }
}
actionCases.push(
  {
    action: A_SAVE_PREFERENCES,
    caller: 'B',
    kind: 'real',
    what: "A's user id and email forged into the form: B's defaults are written, never A's",
    run: (f) => savePreferencesAs(f),
    check: async (outcome, f) => {
      expect(outcome.returned).toEqual({ status: 'success', theme: 'light' });
      expect(await f.h.prisma.userPreference.findUnique({ where: { userId: f.B.id } })).toMatchObject({ customInstructions: 'B writes this' });
    },
  },
  ...UNAUTHENTICATED.map(
    (caller): ActionCase => ({
      action: A_SAVE_PREFERENCES,
      caller,
      kind: 'real',
      what: "A's id forged into the form: nothing is written, back to sign-in",
      run: (f) => savePreferencesAs(f),
      check: toSignInAgain,
    }),
  ),
  {
    action: A_SAVE_PREFERENCES,
    caller: 'P (waiting for approval)',
    kind: 'real',
    what: 'a user waiting for approval saves nothing',
    run: (f) => savePreferencesAs(f),
    check: async (outcome, f) => {
      expect(outcome.digest).toMatch(/^NEXT_REDIRECT;replace;\/pending;/);
      expect(await f.h.prisma.userPreference.findUnique({ where: { userId: f.pending.id } })).toBeNull();
    },
  },
);

// ---------------------------------------------------------------------------------------------------
// Running a case.

function request(f: Fixture, caller: CallerName, url: string, spec: Omit<SendSpec, 'url'> & { method?: string }): NextRequest {
  const who = f.callers[caller];
  const headers: Record<string, string> = { ...who.headers };
  if (who.cookie) headers.cookie = who.cookie;
  if (spec.json !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, spec.headers ?? {});
  const method = spec.method ?? 'GET';
  const body = spec.json !== undefined ? JSON.stringify(spec.json) : spec.body;
  return new NextRequest(`${ORIGIN}${url}`, { method, headers, ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}) });
}
const ctx = (id: string) => ({ params: Promise.resolve(id.includes('/') ? { nextauth: id.split('/') } : { id }) });

type Handler = (req: NextRequest, context?: unknown) => Promise<Response>;
function handler(f: Fixture, route: string, method: Method): Handler {
  const fn = f.modules.get(route)?.[method];
  if (typeof fn !== 'function') throw new Error(`${route} exports no ${method}`);
  return fn as Handler;
}

function caseName(c: { caller: CallerName; kind: IdKind; what: string }, where: string): string {
  return `${where} — ${c.caller}${c.kind === 'none' ? '' : ` [${c.kind} id]`}: ${c.what}`;
}
const routePath = (file: string) => `/${file.replace(/^app\//, '').replace(/\/route\.ts$/, '')}`;
const pagePath = (file: string) =>
  `/${file
    .replace(/^app\//, '')
    .replace(/\/page\.tsx$/, '')
    .replace(/\([^)]*\)\//g, '')}`;

/** Nothing of A's in a response: not the marker all of A's content carries, not A's email or any of A's ids. */
function expectNoLeak(f: Fixture, text: string, name: string): void {
  const lower = text.toLowerCase();
  const secrets = [
    MARK,
    f.A.email,
    f.A.id,
    f.a.conv,
    f.a.conv2,
    f.a.deleted,
    f.a.userMessageId,
    f.a.answerId,
    f.a.offPathAnswerId,
    f.a.doc,
    f.a.title,
    ...f.liveIds,
  ];
  for (const secret of secrets) expect(lower.includes(secret.toLowerCase()), `${name}: the response carries ${secret}`).toBe(false);
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;
/** A's rows, every user's account state, and every admin-controlled table, re-read from the database. */
async function snapshot(f: Pick<Fixture, 'h' | 'A' | 'B' | 'admin' | 'pending' | 'liveIds'>) {
  const p = f.h.prisma;
  const notLive = { notIn: f.liveIds };
  return {
    users: await p.user.findMany({ where: { id: { in: [f.A.id, f.B.id, f.admin.id, f.pending.id] } }, orderBy: { email: 'asc' } }),
    audit: await p.auditEvent.findMany({ orderBy: { id: 'asc' } }),
    invitations: await p.invitation.findMany({ orderBy: { id: 'asc' } }),
    apiKeys: await p.apiKey.findMany({ where: { userId: f.A.id }, orderBy: { id: 'asc' } }),
    resets: await p.passwordReset.findMany({ orderBy: { id: 'asc' } }),
    conversations: await p.conversation.findMany({ where: { userId: f.A.id, id: notLive }, orderBy: { id: 'asc' } }),
    messages: await p.message.findMany({ where: { conversation: { userId: f.A.id }, conversationId: notLive }, orderBy: { seq: 'asc' } }),
    documents: await p.document.findMany({ where: { userId: f.A.id }, orderBy: { id: 'asc' }, include: { content: true } }),
    usage: await p.usage.findMany({ where: { userId: f.A.id, OR: [{ conversationId: null }, { conversationId: notLive }] }, orderBy: { id: 'asc' } }),
    prices: await p.price.findMany({ orderBy: [{ model: 'asc' }, { currency: 'asc' }, { effectiveFrom: 'asc' }] }),
    settings: await p.setting.findMany({ where: { key: { not: MODELS_SETTING_KEY } }, orderBy: { key: 'asc' } }),
    preferences: await p.userPreference.findMany({ where: { userId: f.A.id } }),
    shares: await p.share.findMany({ where: { userId: f.A.id }, orderBy: { id: 'asc' } }),
  };
}

/** Runs `attempt` while an answer of A's streams; afterwards that answer must have finished untouched. */
async function duringLiveAnswer<T>(f: Fixture, attempt: (live: string) => Promise<T>): Promise<T> {
  const { h, A } = f;
  const live = crypto.randomUUID();
  f.liveIds.push(live);
  // A served model without thinking: the answer is text only, compared whole below.
  h.sim.queueFaults('stall:800', 1, 'kimi-k2.6');
  const res = await h.post(A, {
    id: live,
    trigger: 'submit-message',
    message: h.userMessage(`${MARK} live question, reply with 60 tokens`),
    settings: h.settings('kimi-k2.6', { thinking: false }),
  });
  expect(res.status).toBe(200);
  const { soFar, reader } = await readUntil(res, (text) => text.includes('"text-delta"'));
  const result = await attempt(live);
  let rest = '';
  for (let next = await reader.read(); !next.done; next = await reader.read()) rest += next.value;
  const answer = await waitFor(() =>
    h.prisma.message.findFirst({ where: { conversationId: live, role: 'assistant', status: { not: 'streaming' } } }),
  );
  expect({ status: answer.status, text: (answer.parts as Array<{ text: string }>)[0]?.text }).toEqual({
    status: 'complete',
    text: textOf(parseSse(soFar + rest)),
  });
  expect((await h.prisma.usage.findFirstOrThrow({ where: { conversationId: live, purpose: 'chat' } })).outcome).toBe('ok');
  return result;
}

async function observe(res: Response): Promise<Observed> {
  return { status: res.status, text: await res.text(), headers: res.headers };
}

function usePage(f: Fixture, caller: CallerName): void {
  const who = f.callers[caller];
  jar.clear();
  if (who.cookie) jar.set(SESSION_COOKIE, tokenOf(who.cookie));
  requestState.headers = new Headers({
    host: '127.0.0.1:3000',
    'x-forwarded-proto': 'http',
    'accept-language': 'en',
    ...who.headers,
    ...(who.cookie ? { cookie: who.cookie } : {}),
  });
}

async function digestOf(run: () => Promise<unknown>): Promise<{ value?: unknown; digest?: string }> {
  try {
    return { value: await run() };
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest !== 'string') throw error;
    return { digest };
  }
}

type PageModule = {
  default: (props: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) => Promise<ReactElement>;
  generateMetadata?: (props: { params: Promise<{ id: string }> }) => Promise<{ title?: unknown }>;
};

// ---------------------------------------------------------------------------------------------------

describeEachDatabase('authorization sweep', (kind) => {
  const f = {} as Fixture;

  beforeAll(async () => {
    // The previous database kind's settings, models list and singleton are gone (the harness closed it).
    resetConfigForProcess();
    resetModelsCache();
    delete process.env.DATABASE_URL;
    const h = await openChatHarness(kind, {
      RATE_LIMIT_SIGN_IN_PER_MINUTE: '0',
      RATE_LIMIT_SIGN_IN_EMAIL_PER_MINUTE: '0',
      RATE_LIMIT_SIGN_UP_PER_HOUR: '0',
    });
    f.h = h;
    f.modules = new Map();
    for (const file of [...Object.values(R), ...Object.values(P)])
      f.modules.set(file, (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>);

    const signedIn = async (email: string) => ({ ...(await h.signedIn(email)), email });
    f.admin = await signedIn('root@example.com'); // the first account: the administrator
    f.A = await signedIn('alice@example.com');
    f.B = await signedIn('bob@example.com');
    const dave = await signedIn('dave@example.com');
    f.pending = await signedIn('paula@example.com');
    await h.prisma.user.update({ where: { id: f.pending.id }, data: { approved: false } });
    await h.prisma.user.delete({ where: { id: dave.id } });
    f.liveIds = [];
    f.guessed = crypto.randomUUID();

    const token = (claims: object, secret = SECRET) => encode({ token: { sessionVersion: 0, ...claims }, secret, salt: SESSION_COOKIE });
    const bToken = tokenOf(f.B.cookie);
    const flipAt = Math.floor(bToken.length / 2);
    const cross = { origin: EVIL_ORIGIN, 'sec-fetch-site': 'cross-site' };
    f.callers = {
      B: { cookie: f.B.cookie, headers: {} },
      'signed out': { cookie: null, headers: {} },
      'tampered cookie': {
        cookie: `${SESSION_COOKIE}=${bToken.slice(0, flipAt)}${bToken[flipAt] === 'A' ? 'B' : 'A'}${bToken.slice(flipAt + 1)}`,
        headers: {},
      },
      "forged cookie (A's id, wrong secret)": {
        cookie: `${SESSION_COOKIE}=${await token({ sub: f.A.id, id: f.A.id, email: f.A.email, role: 'admin' }, 'an attacker-chosen secret 0123456789abcdef')}`,
        headers: {},
      },
      'deleted user': { cookie: dave.cookie, headers: {} },
      "B's token claiming admin": {
        cookie: `${SESSION_COOKIE}=${await token({ sub: f.B.id, id: f.B.id, email: f.B.email, role: 'admin' })}`,
        headers: {},
      },
      "A's cookie from a foreign origin": { cookie: f.A.cookie, headers: cross },
      "the admin's cookie from a foreign origin": { cookie: f.admin.cookie, headers: cross },
      'C (a fresh user)': { cookie: null, headers: {} }, // made, and signed in, by its case
      'P (waiting for approval)': { cookie: f.pending.cookie, headers: {} },
      'A (control)': { cookie: f.A.cookie, headers: {} },
      'admin (control)': { cookie: f.admin.cookie, headers: {} },
    };

    // A: a real turn, a document, a private title, a second conversation, a deleted one; usage rows.
    const a = { conv: crypto.randomUUID(), conv2: crypto.randomUUID(), deleted: crypto.randomUUID(), title: `${MARK} private title` };
    await h.turn(f.A, a.conv, `${MARK}-SECRET-7391: where is the vault?`);
    const uploaded = await handler(
      f,
      R.upload,
      'POST',
    )(
      request(f, 'A (control)', `/api/documents?conversationId=${a.conv}`, {
        method: 'POST',
        body: `The vault code is ${MARK}-DOC-4412.\n`,
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': `alice-plan-${MARK}.txt` },
      }),
    );
    expect(uploaded.status).toBe(201);
    const doc = ((await uploaded.json()) as { id: string }).id;
    const imageUpload = await handler(f, R.images, 'POST')(request(f, 'A (control)', '/api/images', { method: 'POST', body: IMAGE_BYTES }));
    expect(imageUpload.status).toBe(201);
    const image = ((await imageUpload.json()) as { id: string }).id;
    const renamed = await handler(
      f,
      R.one,
      'PATCH',
    )(request(f, 'A (control)', `/api/conversations/${a.conv}`, { method: 'PATCH', json: { title: a.title } }), ctx(a.conv));
    expect(renamed.status).toBe(204);
    await h.turn(f.A, a.conv, `${MARK} and with the document?`);
    await h.turn(f.A, a.conv2, `${MARK} second conversation`);
    const offPath = await h.prisma.message.findFirstOrThrow({ where: { conversationId: a.conv2, role: 'assistant' } });
    const regenerated = await h.post(f.A, { id: a.conv2, trigger: 'regenerate-message', settings: h.settings() });
    expect(regenerated.status).toBe(200);
    await regenerated.text();
    await h.turn(f.A, a.deleted, `${MARK} soon deleted`);
    expect(
      (await handler(f, R.one, 'DELETE')(request(f, 'A (control)', `/api/conversations/${a.deleted}`, { method: 'DELETE' }), ctx(a.deleted))).status,
    ).toBe(204);
    const messages = await h.prisma.message.findMany({ where: { conversationId: a.conv }, orderBy: { seq: 'asc' } });
    const firstPage = (await (
      await handler(f, R.list, 'GET')(request(f, 'A (control)', '/api/conversations?limit=1', {}))
    ).json()) as ConversationPage;
    expect(firstPage.nextCursor).not.toBeNull();
    f.a = {
      ...a,
      doc,
      image,
      userMessageId: messages.findLast((m) => m.role === 'user')!.id,
      answerId: messages.findLast((m) => m.role === 'assistant')!.id,
      offPathAnswerId: offPath.id,
      cursor: firstPage.nextCursor!,
    };
    expect(await h.prisma.usage.count({ where: { userId: f.A.id } })).toBeGreaterThanOrEqual(4);

    // A's defaults (account page): private instructions, carrying the marker.
    await h.prisma.userPreference.create({
      data: { userId: f.A.id, customInstructions: `${MARK} private instructions`, defaultModel: 'kimi-k3', theme: 'dark' },
    });

    // B: a conversation of their own.
    f.b = { conv: crypto.randomUUID() };
    await h.turn(f.B, f.b.conv, 'Bob says hello');

    // Personal API keys, made and ended in the database before any use (so no cache holds them).
    const { createApiKey } = await import('@/lib/gateway/keys');
    const makeKey = async (userId: string, name: string) => {
      const made = await createApiKey(h.prisma, userId, { name });
      if (!made.ok) throw new Error(made.reason);
      return made;
    };
    const aOpen = await makeKey(f.A.id, `${MARK} open key`);
    const aRevoked = await makeKey(f.A.id, `${MARK} revoked key`);
    const aExpired = await makeKey(f.A.id, `${MARK} expired key`);
    await h.prisma.apiKey.update({ where: { id: aRevoked.key.id }, data: { revokedAt: new Date() } });
    await h.prisma.apiKey.update({ where: { id: aExpired.key.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const erin = await signedIn('erin@example.com');
    const erinKey = await makeKey(erin.id, 'disabled user key');
    await h.prisma.user.update({ where: { id: erin.id }, data: { disabled: true } });
    const pendingKey = await makeKey(f.pending.id, 'pending user key');
    f.keys = {
      aOpen: aOpen.secret,
      aOpenId: aOpen.key.id,
      aRevoked: aRevoked.secret,
      aRevokedId: aRevoked.key.id,
      aExpired: aExpired.secret,
      disabled: erinKey.secret,
      pending: pendingKey.secret,
    };
    // A's share links, of a conversation of A's with nothing secret in it (what a visitor may see).
    const { createShare, revokeShare } = await import('@/lib/share/shares');
    const shared = crypto.randomUUID();
    const sharedTitle = 'A shared title';
    await h.prisma.conversation.create({ data: { id: shared, userId: f.A.id, title: sharedTitle, model: 'kimi-k2.6' } });
    await h.prisma.message.create({
      data: { id: crypto.randomUUID(), conversationId: shared, role: 'user', parts: [{ type: 'text', text: 'shared words only' }] },
    });
    const shareOf = async (visibility: 'link' | 'users') => (await createShare(f.A.id, shared, visibility))!.id;
    f.s = { link: await shareOf('link'), users: await shareOf('users'), revoked: await shareOf('link'), title: sharedTitle };
    expect(await revokeShare(f.A.id, f.s.revoked)).toBe(true);

    f.baseline = await snapshot(f);
  });
  afterAll(async () => {
    jar.clear();
    await f.h?.close();
  });

  describe('route handlers', () => {
    for (const c of routeCases) {
      const name = caseName(c, `${c.method} ${routePath(c.route)}`);
      it(name, async () => {
        const attempt = async (live: string | undefined) => {
          const spec = await c.send(f, live);
          const req = request(f, c.caller, spec.url, { ...spec, method: c.method });
          return observe(await handler(f, c.route, c.method)(req, ctx(spec.id ?? '')));
        };
        const before = await snapshot(f);
        const seen = c.live ? await duringLiveAnswer(f, attempt) : await attempt(undefined);
        expectNoLeak(f, `${seen.text}\n${seen.headers.get('location') ?? ''}`, name);
        expect(seen.status, `${name}: status (body ${seen.text.slice(0, 300)})`).toBe(c.expect.status);
        if (c.expect.json !== undefined) expect(JSON.parse(seen.text), `${name}: body`).toEqual(c.expect.json);
        if (c.expect.empty) expect(seen.text, `${name}: body`).toBe('');
        await c.expect.check?.(seen, f);
        expect(await snapshot(f), `${name}: A's data (or an admin setting) changed`).toEqual(before);
      });
    }
  });

  describe('pages with ids', () => {
    for (const c of pageCases) {
      const name = caseName(c, pagePath(c.page));
      it(name, async () => {
        const page = f.modules.get(c.page) as PageModule;
        const render = async (live: string | undefined) => {
          usePage(f, c.caller);
          const id = c.id(f, live);
          const params = () => Promise.resolve({ id });
          return {
            page: await digestOf(() => page.default({ params: params(), searchParams: Promise.resolve({}) })),
            metadata: page.generateMetadata ? await digestOf(() => page.generateMetadata!({ params: params() })) : undefined,
          };
        };
        const before = await snapshot(f);
        const seen = c.live ? await duringLiveAnswer(f, render) : await render(undefined);
        for (const result of [seen.page, seen.metadata]) {
          if (!result) continue;
          if (c.expect === 'not-found') {
            // generateMetadata may answer instead of throwing, but only with nothing of A's.
            if (result === seen.metadata && result.digest === undefined) expect(result.value, `${name}: metadata`).toEqual({ title: undefined });
            else expect(result.digest, name).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
          } else if (c.expect === 'sign-in') {
            expect(result.digest, name).toMatch(/^NEXT_REDIRECT;replace;\/sign-in\?callbackUrl=/);
          }
        }
        if (typeof c.expect === 'function') {
          expect(seen.page.digest, name).toBeUndefined();
          await c.expect({ element: seen.page.value as ReactElement, metadata: seen.metadata?.value as { title?: unknown } | undefined }, f);
        } else if (seen.page.value !== undefined) {
          expectNoLeak(f, renderToStaticMarkup(seen.page.value as ReactElement), name);
        }
        expect(await snapshot(f), `${name}: A's data (or an admin setting) changed`).toEqual(before);
      });
    }
  });

  describe('server actions', () => {
    for (const c of actionCases) {
      const name = caseName(c, c.action);
      it(name, async () => {
        usePage(f, c.caller);
        const before = await snapshot(f);
        const outcome = await c.run(f);
        // The forms echo the email that was typed (B typed A's): that is B's own input, not a leak.
        const echoed = new RegExp(f.A.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
        expectNoLeak(f, JSON.stringify(outcome.returned ?? null).replace(echoed, '<the email B typed>'), name);
        await c.check(outcome, f);
        expect(await snapshot(f), `${name}: A's data (or an admin setting) changed`).toEqual(before);
      });
    }
  });

  // Admin pages without ids (the audit log, who gets in, API access): the role is checked on the server.
  const heading: Record<string, RegExp> = {
    'app/admin/audit/page.tsx': /Audit log/,
    'app/admin/access/page.tsx': /Sign-up policy/,
    'app/admin/api/page.tsx': /API access on this instance/,
  };
  for (const file of Object.keys(heading)) {
    it(`${file}: 404 for B (also with a token claiming admin), sign-in when signed out, the waiting page when pending; the admin gets it`, async () => {
      const page = (await import(/* @vite-ignore */ path.resolve(file))) as {
        default: (props: { searchParams: Promise<Record<string, string>> }) => Promise<ReactElement>;
      };
      const render = (caller: CallerName, searchParams: Record<string, string> = {}) => {
        usePage(f, caller);
        return digestOf(() => page.default({ searchParams: Promise.resolve(searchParams) }));
      };
      const before = await snapshot(f);
      for (const caller of ['B', "B's token claiming admin"] as const) {
        expect((await render(caller, { target: f.A.email })).digest, caller).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
      }
      for (const caller of UNAUTHENTICATED) expect((await render(caller)).digest, caller).toMatch(/^NEXT_REDIRECT;replace;\/sign-in\?callbackUrl=/);
      expect((await render('P (waiting for approval)')).digest).toMatch(/^NEXT_REDIRECT;replace;\/pending;/);
      const seen = await render('admin (control)');
      expect(seen.digest).toBeUndefined();
      expect(renderToStaticMarkup(seen.value as ReactElement)).toMatch(heading[file]!);
      expect(await snapshot(f)).toEqual(before);
    });
  }

  it("after the whole sweep A's data, every account's state and the admin settings are as they were", async () => {
    expect(await snapshot(f)).toEqual(f.baseline);
    // And A still has it all, through the API, as A.
    const detail = await handler(f, R.one, 'GET')(request(f, 'A (control)', `/api/conversations/${f.a.conv}`, {}), ctx(f.a.conv));
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as { title: string; messages: unknown[] };
    expect(body.title).toBe(f.a.title);
    expect(body.messages).toHaveLength(4);
    const docs = await handler(f, R.convDocs, 'GET')(request(f, 'A (control)', `/api/conversations/${f.a.conv}/documents`, {}), ctx(f.a.conv));
    expect(((await docs.json()) as { documents: Array<{ id: string }> }).documents.map((d) => d.id)).toEqual([f.a.doc]);
  });
});

// ---------------------------------------------------------------------------------------------------
// The inventory guard: what exists on disk must be in the matrices above (and nothing stale may be).

function walk(dir: string, keep: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'generated' ? [] : walk(full, keep);
    return keep(full) ? [full.split(path.sep).join('/')] : [];
  });
}

describe('authorization inventory guard', () => {
  it('every route handler method under app/api has authorization cases, with real, guessed and enumerated ids where it takes one', async () => {
    const onDisk: string[] = [];
    for (const file of walk('app/api', (p) => /\/route\.(ts|tsx|js)$/.test(p))) {
      const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
      for (const method of METHODS) if (typeof mod[method] === 'function') onDisk.push(`${method} ${file}`);
    }
    const covered = new Set(routeCases.map((c) => `${c.method} ${c.route}`));
    expect(onDisk.length).toBeGreaterThan(0);
    expect(
      onDisk.filter((r) => !covered.has(r)),
      'route methods without authorization cases in tests/integration/authorization.test.ts',
    ).toEqual([]);
    expect(
      [...covered].filter((r) => !onDisk.includes(r)),
      'cases for route methods that no longer exist',
    ).toEqual([]);

    const gaps: string[] = [];
    for (const key of onDisk) {
      const [method, route] = key.split(' ') as [Method, string];
      const mine = routeCases.filter((c) => c.route === route && c.method === method);
      if (PUBLIC_ROUTES.has(route)) continue;
      for (const caller of UNAUTHENTICATED) if (!mine.some((c) => c.caller === caller)) gaps.push(`${key}: no "${caller}" case`);
      if (!mine.some((c) => c.caller === 'B' || c.caller === "B's token claiming admin")) gaps.push(`${key}: no case for another user`);
      if (method !== 'GET' && method !== 'HEAD' && !mine.some((c) => c.caller.includes('foreign origin'))) gaps.push(`${key}: no cross-site case`);
      if (route.includes('[id]') && !mine.some((c) => c.caller === "B's token claiming admin")) {
        for (const kind of ['real', 'guessed', 'enumerated'] as const)
          if (!mine.some((c) => c.caller === 'B' && c.kind === kind)) gaps.push(`${key}: no ${kind}-id case`);
      }
    }
    expect(gaps, 'route methods whose authorization cases are incomplete').toEqual([]);
  });

  it('every page with an id in its path has authorization cases', () => {
    const onDisk = walk('app', (p) => /\/page\.(tsx|ts|jsx|js)$/.test(p) && /\[[^\]]+\]/.test(p));
    const covered = new Set(pageCases.map((c) => c.page));
    expect(
      onDisk.filter((p) => !covered.has(p)),
      'pages with ids without authorization cases',
    ).toEqual([]);
    expect(
      [...covered].filter((p) => !onDisk.includes(p)),
      'cases for pages that no longer exist',
    ).toEqual([]);
    for (const page of covered) {
      const mine = pageCases.filter((c) => c.page === page);
      for (const kind of ['real', 'guessed', 'enumerated'] as const)
        expect(
          mine.some((c) => c.caller === 'B' && c.kind === kind),
          `${page}: a ${kind}-id case`,
        ).toBe(true);
      expect(
        mine.some((c) => c.caller === 'signed out'),
        `${page}: a signed-out case`,
      ).toBe(true);
    }
  });

  it("every server action ('use server') has authorization cases", async () => {
    const directive = /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*['"]use server['"]/;
    const onDisk: string[] = [];
    for (const file of [
      ...walk('app', (p) => /\.(tsx?|jsx?)$/.test(p)),
      ...walk('lib', (p) => /\.(tsx?|jsx?)$/.test(p)),
      ...walk('components', (p) => /\.(tsx?|jsx?)$/.test(p)),
    ]) {
      const source = fs.readFileSync(file, 'utf8');
      if (!/['"]use server['"]/.test(source)) continue;
      if (!directive.test(source)) {
        onDisk.push(`${file}#<inline server action>`); // a 'use server' function inside a component or module
        continue;
      }
      const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) if (typeof value === 'function') onDisk.push(`${file}#${name}`);
    }
    const covered = new Set(actionCases.map((c) => c.action));
    expect(onDisk.length).toBeGreaterThan(0);
    expect(
      onDisk.filter((a) => !covered.has(a)),
      'server actions without authorization cases in tests/integration/authorization.test.ts',
    ).toEqual([]);
    expect(
      [...covered].filter((a) => !onDisk.includes(a)),
      'cases for server actions that no longer exist',
    ).toEqual([]);
  });
});

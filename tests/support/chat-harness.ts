// The chat server below the browser, for integration tests: the real route handlers, a real database
// (PGlite or PostgreSQL) and the simulator over real HTTP, with signed-in users. db() is a process-wide
// singleton, so one harness per test file (vitest runs each file in its own process).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { expect } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '@/sim';
import { createTestDatabase } from './db';
import { parseSse } from './ui-stream';

type Handler = (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>;
type RouteModule = Record<string, Handler>;
export interface Who {
  id: string;
  cookie: string;
}

const SECRET = 'integration-test-secret-0123456789abcdef';
export const ORIGIN = 'http://127.0.0.1:3000';
const API_KEY = 'sk-integration';

export async function openChatHarness(kind: 'pglite' | 'postgres', env: Record<string, string> = {}, simOptions: SimulatorOptions = {}) {
  const sim: Simulator = await startSimulator({ apiKeys: [API_KEY], tokensPerSecond: 0, ...simOptions });
  let dropDatabase: () => Promise<void> = async () => undefined;
  const settingsEnv: Record<string, string> = {
    MOONSHOT_API_KEY: API_KEY,
    MOONSHOT_BASE_URL: sim.url,
    AUTH_SECRET: SECRET,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kimi-chat-int-')),
    // These suites send many turns per user quickly; the limiter has its own tests (ratelimit-*).
    RATE_LIMIT_CHAT_PER_MINUTE: '0',
    ...env,
  };
  if (kind === 'postgres') {
    const database = await createTestDatabase('postgres');
    await database.prisma.$disconnect();
    Object.assign(settingsEnv, database.env);
    dropDatabase = database.cleanup;
  }
  Object.assign(process.env, settingsEnv);
  const { db, closeDb } = await import('@/lib/db');
  const prisma = await db();
  const routes = {
    chat: (await import('@/app/api/chat/route')) as unknown as RouteModule,
    stream: (await import('@/app/api/chat/[id]/stream/route')) as unknown as RouteModule,
    stop: (await import('@/app/api/chat/[id]/stop/route')) as unknown as RouteModule,
    list: (await import('@/app/api/conversations/route')) as unknown as RouteModule,
    one: (await import('@/app/api/conversations/[id]/route')) as unknown as RouteModule,
    branch: (await import('@/app/api/conversations/[id]/branch/route')) as unknown as RouteModule,
    images: (await import('@/app/api/images/route')) as unknown as RouteModule,
    messages: (await import('@/app/api/conversations/[id]/messages/route')) as unknown as RouteModule,
  };

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

  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
  const req = (who: Pick<Who, 'cookie'> | null, url: string, init: RequestInit = {}) =>
    new Request(`${ORIGIN}${url}`, { ...init, headers: { ...(who ? { cookie: who.cookie } : {}), 'content-type': 'application/json' } });
  const post = (who: Pick<Who, 'cookie'>, body: unknown) => routes.chat.POST!(req(who, '/api/chat', { method: 'POST', body: JSON.stringify(body) }));

  const settings = (model = 'auto', extra: object = {}) => ({ model, systemPrompt: '', temperature: null, ...extra });
  const userMessage = (text: string) => ({ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] });

  /** One submitted turn, read to the end. */
  async function turn(who: Pick<Who, 'cookie'>, id: string, text: string, model = 'auto', extra: object = {}) {
    const res = await post(who, { id, trigger: 'submit-message', message: userMessage(text), settings: settings(model, extra) });
    expect(res.status).toBe(200);
    return parseSse(await res.text());
  }

  /** Uploads an image as `who` (POST /api/images); its id. */
  async function uploadImage(who: Pick<Who, 'cookie'>, bytes: Uint8Array): Promise<string> {
    const res = await routes.images.POST!(
      new Request(`${ORIGIN}/api/images`, { method: 'POST', body: new Uint8Array(bytes), headers: { cookie: who.cookie } }),
    );
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  /** A user message with text and an uploaded image, as the browser sends it. */
  const imageMessage = (text: string, imageId: string, mediaType = 'image/png') => ({
    id: crypto.randomUUID(),
    role: 'user',
    parts: [
      { type: 'text', text },
      { type: 'file', mediaType, url: `/api/images/${imageId}`, filename: 'shot.png' },
    ],
  });

  /** The streamed chat calls the simulator received, oldest first. */
  const chatCalls = () => sim.requests().filter((r) => r.path === '/v1/chat/completions' && r.stream);

  return {
    sim,
    chatCalls,
    prisma,
    routes,
    signedIn,
    ctx,
    req,
    post,
    settings,
    userMessage,
    uploadImage,
    imageMessage,
    turn,
    close: async () => {
      // Every turn ended its start (./lib/chat/turn-starts): one never ended would make later titles wait.
      const { pendingTurnStarts } = await import('@/lib/chat/turn-starts');
      const ended = await waitFor(async () => pendingTurnStarts() === 0, 5_000).then(
        () => true,
        () => false,
      );
      await closeDb();
      await dropDatabase();
      await sim.close();
      if (!ended) throw new Error(`${pendingTurnStarts()} chat turn start(s) never ended`);
    },
  };
}

export type ChatHarness = Awaited<ReturnType<typeof openChatHarness>>;

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

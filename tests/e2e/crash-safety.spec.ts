// Crash safety: 50 concurrent streaming chats against the real built server, SIGKILL of its whole process
// group while answers are mid-stream, a restart on the same database, then the database must hold
// everything the clients were told. No browser: Node's fetch reads the UI message stream.
//
// What the client can know, and what each thing promises:
// - acknowledged: HTTP 200 and the first text chunk arrived. The server writes the user message and the
//   answer's `streaming` placeholder right after starting the upstream call, and sends no text before that
//   write is done, so by the first text the user's message must be durable: it must survive the crash.
// - finished: the `finish` chunk arrived. The answer must then be stored complete, with the exact text
//   the client saw and exactly one usage row.
// - anything else: the answer is complete or marked `interrupted` after the restart — never `streaming`,
//   never missing next to its user message, never duplicated.
import { randomUUID } from 'node:crypto';
import { type Simulator, startSimulator } from '../../sim';
import {
  createThrowawayDatabase,
  createUsers,
  type DatabaseKind,
  type ServerProcess,
  startServer,
  streamTurn,
  type ThrowawayDatabase,
  type TurnObservation,
  waitFor,
} from '../support/server-process';
import { expect, test } from './test';

const SECRET = 'crash-safety-secret-0123456789abcdef0123';
const KEY = 'sk-crash-safety';
const USERS = 10;
const CHATS = 50;
// 200 tokens/s: from a blink to several seconds, so the kill finds answers done, mid-stream and not begun.
const ANSWER_TOKENS = [10, 40, 150, 500, 1200];
const KILL_AFTER_FINISHED = Math.ceil(CHATS / 3);

interface Chat {
  conversationId: string;
  messageId: string;
  seen: TurnObservation;
}

const acknowledged = (c: Chat) => c.seen.status === 200 && c.seen.firstTextMs !== null;

for (const kind of ['pglite', 'postgres'] as const satisfies readonly DatabaseKind[]) {
  test(`no acknowledged message or finished answer is lost when the server is killed mid-stream [${kind}]`, async () => {
    test.setTimeout(900_000);
    let sim: Simulator | undefined;
    let database: ThrowawayDatabase | undefined;
    const servers: ServerProcess[] = [];
    try {
      sim = await startSimulator({ apiKeys: [KEY], tokensPerSecond: 200 });
      database = await createThrowawayDatabase(kind);
      // Before any server holds the (PGlite) database.
      const users = await createUsers(database, USERS, SECRET, `crash-${kind}`);
      const start = async () => {
        const server = await startServer({
          database: database!,
          secret: SECRET,
          kimi: { baseURL: sim!.url, apiKey: KEY },
          env: { RATE_LIMIT_CHAT_PER_MINUTE: '0', ANSWER_HEARTBEAT_MS: '1000', ANSWER_STALE_AFTER_MS: '4000' },
        });
        servers.push(server);
        return server;
      };

      const first = await start();
      // One turn first, so the 50 do not also measure the cold route.
      const warm = await streamTurn(first.origin, users[0]!, { conversationId: randomUUID(), messageId: randomUUID(), text: 'reply with 5 tokens' });
      expect(warm.finished, warm.error).toBe(true);

      const chats: Chat[] = Array.from({ length: CHATS }, () => ({
        conversationId: randomUUID(),
        messageId: randomUUID(),
        seen: { status: null, firstTextMs: null, finished: false, closed: false, text: '' },
      }));
      let finishedCount = 0;
      const running = chats.map((chat, i) =>
        streamTurn(
          first.origin,
          users[i % USERS]!,
          { conversationId: chat.conversationId, messageId: chat.messageId, text: `reply with ${ANSWER_TOKENS[i % ANSWER_TOKENS.length]} tokens` },
          (seen) => {
            chat.seen = seen;
            finishedCount = chats.filter((c) => c.seen.finished).length;
          },
        ),
      );

      // Kill once a third have finished (bounded: kill anyway after two minutes).
      await waitFor(() => finishedCount >= KILL_AFTER_FINISHED, 120_000, `${KILL_AFTER_FINISHED} finished answers`).catch(() => undefined);
      // Freeze what the client knew at the moment of the kill: chunks still in socket buffers come later.
      await first.kill();
      const atKill = chats.map((c) => ({ ...c, seen: { ...c.seen } }));
      await Promise.all(running);

      const finished = atKill.filter((c) => c.seen.finished);
      const midStream = atKill.filter((c) => acknowledged(c) && !c.seen.finished);
      const atKillSummary = `${finished.length} finished, ${midStream.length} acknowledged mid-stream, ${atKill.filter((c) => !acknowledged(c)).length} not acknowledged`;
      test.info().annotations.push({ type: 'at kill', description: atKillSummary });
      console.log(`[crash-safety ${kind}] at kill: ${atKillSummary}`);
      // Otherwise the crash hit nothing worth checking.
      expect(finished.length, 'answers finished before the kill').toBeGreaterThan(0);
      expect(midStream.length, 'answers mid-stream at the kill').toBeGreaterThan(0);

      // Restart on the same database: it opens cleanly, recovers, and still chats.
      const second = await start();
      expect((await fetch(`${second.origin}/api/health`)).status).toBe(200);
      const after = { conversationId: randomUUID(), messageId: randomUUID() };
      const afterSeen = await streamTurn(second.origin, users[1]!, { ...after, text: 'reply with 20 tokens' });
      expect(afterSeen.finished && afterSeen.closed, afterSeen.error).toBe(true);
      if (kind === 'postgres') {
        // A shared database cannot tell a crashed writer from a live one at once: orphans are swept once stale.
        const ids = chats.map((c) => c.conversationId);
        await waitFor(
          () => database!.use((prisma) => prisma.message.count({ where: { conversationId: { in: ids }, status: 'streaming' } })).then((n) => n === 0),
          60_000,
          'orphaned answers marked interrupted',
        );
      }
      // PGlite admits one process: read the database once the server has stopped.
      await second.stop();

      const ids = atKill.map((c) => c.conversationId);
      const { messages, usage } = await database.use(async (prisma) => ({
        messages: await prisma.message.findMany({ where: { conversationId: { in: [...ids, after.conversationId] } }, orderBy: { seq: 'asc' } }),
        usage: await prisma.usage.findMany({ where: { conversationId: { in: [...ids, after.conversationId] }, purpose: 'chat' } }),
      }));
      const textOf = (parts: unknown) =>
        (parts as Array<{ type: string; text?: string }>)
          .filter((p) => p.type === 'text')
          .map((p) => p.text)
          .join('');
      const problems: string[] = [];
      for (const [i, chat] of atKill.entries()) {
        const label = `chat ${i} (${ANSWER_TOKENS[i % ANSWER_TOKENS.length]} tokens; ${acknowledged(chat) ? 'acknowledged' : 'not acknowledged'}${chat.seen.finished ? ', finished' : ''})`;
        const rows = messages.filter((m) => m.conversationId === chat.conversationId);
        const userRows = rows.filter((m) => m.role === 'user');
        const answers = rows.filter((m) => m.role === 'assistant');
        if (acknowledged(chat) && !userRows.some((m) => m.id === chat.messageId)) problems.push(`${label}: acknowledged user message lost`);
        if (userRows.length > 1 || answers.length > 1)
          problems.push(`${label}: duplicated messages (${userRows.length} user, ${answers.length} assistant)`);
        if (userRows.length === 1 && answers.length === 0) problems.push(`${label}: user message without an answer`);
        for (const answer of answers) {
          const rowsOfAnswer = usage.filter((u) => u.messageId === answer.id);
          if (answer.status !== 'complete' && answer.status !== 'interrupted') problems.push(`${label}: answer left ${answer.status}`);
          if (answer.status === 'complete' && rowsOfAnswer.length !== 1)
            problems.push(`${label}: complete answer with ${rowsOfAnswer.length} usage rows`);
        }
        if (chat.seen.finished) {
          const answer = answers[0];
          if (answer?.status !== 'complete') problems.push(`${label}: finished answer stored as ${answer?.status ?? 'missing'}`);
          else if (textOf(answer.parts) !== chat.seen.text) problems.push(`${label}: stored text differs from what the client saw`);
        }
      }
      expect(problems).toEqual([]);
      expect(messages.filter((m) => m.conversationId === after.conversationId).map((m) => [m.role, m.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'complete'],
      ]);
      expect(usage.filter((u) => u.conversationId === after.conversationId)).toHaveLength(1);
    } finally {
      for (const server of servers) await server.kill();
      await sim?.close();
      await database?.cleanup();
    }
  });
}

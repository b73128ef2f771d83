// The real server makes its data folder private at start (issue 17, item 4): a data folder left by an
// earlier version with a usual umask (folders 0755, PGlite's files 0666) comes out with every folder 0700
// and every file 0600; what the server writes while running stays inside those 0700 folders.
import fs from 'node:fs';
import path from 'node:path';
import { type Simulator, startSimulator } from '../../sim';
import { createThrowawayDatabase, createUsers, type ServerProcess, startServer, streamTurn, type ThrowawayDatabase } from '../support/server-process';
import { expect, test } from './test';

const SECRET = 'data-dir-secret-0123456789abcdef0123456789';
const KEY = 'sk-data-dir';

function walk(root: string, visit: (at: string, info: fs.Stats) => void): void {
  const info = fs.lstatSync(root);
  visit(root, info);
  if (info.isDirectory()) for (const name of fs.readdirSync(root)) walk(path.join(root, name), visit);
}

test('the server makes an existing data folder private at start, and keeps it so', async () => {
  test.setTimeout(600_000);
  let sim: Simulator | undefined;
  let database: ThrowawayDatabase | undefined;
  let server: ServerProcess | undefined;
  try {
    sim = await startSimulator({ apiKeys: [KEY] });
    database = await createThrowawayDatabase('pglite');
    const [user] = await createUsers(database, 1, SECRET, 'perm');
    const root = database.env.DATA_DIR;
    fs.writeFileSync(path.join(root, 'auth-secret'), 'left by an older version\n', { mode: 0o644 });
    // What an earlier version left with umask 022.
    const before: string[] = [];
    walk(root, (at, info) => {
      if (info.isDirectory()) fs.chmodSync(at, 0o755);
      else if (info.isFile()) {
        fs.chmodSync(at, 0o666);
        before.push(at);
      }
    });
    expect(before.length).toBeGreaterThan(100);

    server = await startServer({ database, secret: SECRET, kimi: { baseURL: sim.url, apiKey: KEY } });
    expect(server.output()).toMatch(/\[start\] made \d+ file\(s\) and folder\(s\) in .* private to this user/);
    // Some writing: a chat turn and an upload.
    const turn = await streamTurn(server.origin, user!, {
      conversationId: crypto.randomUUID(),
      messageId: crypto.randomUUID(),
      text: 'reply with 20 tokens',
    });
    expect(turn.finished).toBe(true);
    const upload = await fetch(`${server.origin}/api/documents?conversationId=${crypto.randomUUID()}`, {
      method: 'POST',
      headers: { cookie: user!.cookie, origin: server.origin, 'x-file-name': 'notes.md' },
      body: '# Notes\n\nsome text',
    });
    expect(upload.status).toBe(201);

    const open: string[] = [];
    walk(root, (at, info) => {
      const mode = info.mode & 0o777;
      if (info.isDirectory() && mode !== 0o700) open.push(`${path.relative(root, at) || '.'} ${mode.toString(8)}`);
      // Files there at start were all fixed; PGlite may create a new file 0666 later, inside 0700 folders.
      if (info.isFile() && before.includes(at) && mode !== 0o600) open.push(`${path.relative(root, at)} ${mode.toString(8)}`);
    });
    expect(open).toEqual([]);
  } finally {
    await server?.stop();
    await database?.cleanup();
    await sim?.close();
  }
});

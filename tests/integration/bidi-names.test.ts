// Unicode direction controls never reach a stored file name or conversation title (issue 17, item 6):
// `passwd\u202Etxt.exe` would be shown as "passwdexe.txt". Through the real route handlers, on PGlite and
// PostgreSQL, and for generated titles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanTitle } from '@/lib/chat/title';
import { stripBidiControls } from '@/lib/security/unicode';
import { type ChatHarness, ORIGIN, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { describeEachDatabase } from '@/tests/support/db';

const CONTROLS = ['\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('stripBidiControls', () => {
  it('removes every direction control (U+200E/200F, U+202A–202E, U+2066–2069) and nothing else', () => {
    expect(stripBidiControls(`passwd\u202Etxt.exe`)).toBe('passwdtxt.exe');
    expect(stripBidiControls(CONTROLS.join('a'))).toBe('a'.repeat(CONTROLS.length - 1));
    const ordinary = 'Résumé — 报告 (v2) עברית العربية 🙂\u200B\u200D';
    expect(stripBidiControls(ordinary)).toBe(ordinary);
  });

  it('is applied to generated titles', () => {
    expect(cleanTitle('\u2067Quarterly\u2069 report\u202E')).toBe('Quarterly report');
  });
});

describeEachDatabase('direction controls in names and titles', (kind) => {
  let h: ChatHarness;
  let user: Who;
  type Handler = (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>;
  let upload: Record<string, Handler>;

  beforeAll(async () => {
    h = await openChatHarness(kind);
    user = await h.signedIn(`bidi-${kind}@example.com`);
    upload = (await import('@/app/api/documents/route')) as unknown as Record<string, Handler>;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('strips them from an uploaded file name', async () => {
    const conversation = crypto.randomUUID();
    const res = await upload.POST!(
      new Request(`${ORIGIN}/api/documents?conversationId=${conversation}`, {
        method: 'POST',
        headers: {
          cookie: user.cookie,
          'x-file-name': encodeURIComponent('passwd\u202Etxt.exe\u2066.md'),
          'content-type': 'application/octet-stream',
        },
        body: 'some notes',
      }),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe('passwdtxt.exe.md');
    const stored = await h.prisma.document.findFirstOrThrow({ where: { conversationId: conversation } });
    expect(stored.name).toBe('passwdtxt.exe.md');
    // A name of nothing but controls is no name.
    const empty = await upload.POST!(
      new Request(`${ORIGIN}/api/documents?conversationId=${conversation}`, {
        method: 'POST',
        headers: { cookie: user.cookie, 'x-file-name': encodeURIComponent('\u202E\u200F'), 'content-type': 'application/octet-stream' },
        body: 'some notes',
      }),
    );
    expect(empty.status).toBe(400);
  });

  it('strips them from a renamed conversation title', async () => {
    const id = crypto.randomUUID();
    await h.turn(user, id, 'hello');
    const rename = (title: string) =>
      h.routes.one.PATCH!(
        new Request(`${ORIGIN}/api/conversations/${id}`, {
          method: 'PATCH',
          headers: { cookie: user.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ title }),
        }),
        h.ctx(id),
      );
    expect((await rename('\u202Bcod.exe\u202C invoice\u200F')).status).toBe(204);
    expect((await h.prisma.conversation.findUniqueOrThrow({ where: { id } })).title).toBe('cod.exe invoice');
    expect((await rename('\u2066\u2069')).status).toBe(400);
  });
});

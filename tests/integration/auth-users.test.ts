// Accounts and session checks against a real database (PGlite and PostgreSQL), through the app's own db().
import { performance } from 'node:perf_hooks';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { apiAdmin, apiUser, apiUserWith, forgetCachedUser, getUserFromRequest, invalidateUserSessions } from '@/lib/auth/session';
import { createUser, EmailTakenError, verifyCredentials } from '@/lib/auth/users';
import { resetConfigForProcess } from '@/lib/config';
import { closeDb, db, type PrismaClient } from '@/lib/db';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/db';

const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const COOKIE = 'authjs.session-token';
const PASSWORD = 'a long enough password';

interface TokenOptions {
  sessionVersion?: number;
  maxAge?: number;
  name?: string;
  secret?: string;
}

async function sessionToken(user: { id: string; role: string }, options: TokenOptions = {}): Promise<string> {
  const { sessionVersion = 0, maxAge = 3600, name = COOKIE, secret = SECRET } = options;
  // Exactly what Auth.js's jwt callback (lib/auth/config.ts) puts into the token.
  return encode({ token: { sub: user.id, id: user.id, role: user.role, sessionVersion }, secret, salt: name, maxAge });
}

function requestWithCookie(cookie: string): Request {
  return new Request('http://127.0.0.1:3000/api/anything', { headers: { cookie } });
}

async function requestFor(user: { id: string; role: string }, options: TokenOptions = {}): Promise<Request> {
  return requestWithCookie(`lang=en; ${options.name ?? COOKIE}=${await sessionToken(user, options)}`);
}

function micros(ms: number): string {
  return `${(ms * 1000).toFixed(1)} µs`;
}

describeEachDatabase('accounts and sessions', (kind) => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.close(); // a PGlite folder admits one client: the app's own db() opens it below
    await closeDb();
    delete process.env.DATABASE_URL;
    Object.assign(process.env, database.env, { AUTH_SECRET: SECRET });
    resetConfigForProcess();
    prisma = await db();
  });

  afterAll(async () => {
    await closeDb();
    await database.cleanup();
  });

  beforeEach(async () => {
    await prisma.user.deleteMany();
  });

  it('makes the first user admin and later ones plain users', async () => {
    const first = await createUser({ email: ' First@Example.com ', password: PASSWORD, name: 'First' });
    const second = await createUser({ email: 'second@example.com', password: PASSWORD });
    expect(first).toMatchObject({ email: 'first@example.com', name: 'First', role: 'admin' });
    expect(second).toMatchObject({ email: 'second@example.com', name: null, role: 'user' });
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain(PASSWORD);
  });

  it('makes exactly one admin out of 10 concurrent first sign-ups', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => createUser({ email: `racer${i}@example.com`, password: PASSWORD })));
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
    expect(await prisma.user.count({ where: { role: 'admin' } })).toBe(1);
    expect(await prisma.user.count()).toBe(10);
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    await createUser({ email: 'dup@example.com', password: PASSWORD });
    await expect(createUser({ email: 'DUP@example.com', password: PASSWORD })).rejects.toBeInstanceOf(EmailTakenError);
    expect(await prisma.user.count()).toBe(1);
  });

  it('checks credentials, and reveals "disabled" only with the right password', async () => {
    const user = await createUser({ email: 'cred@example.com', password: PASSWORD });
    expect(await verifyCredentials('cred@example.com', PASSWORD)).toEqual({
      ok: true,
      user: { id: user.id, email: 'cred@example.com', name: null, role: 'admin', sessionVersion: 0 },
    });
    expect(await verifyCredentials('cred@example.com', 'wrong password')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await verifyCredentials('nobody@example.com', PASSWORD)).toEqual({ ok: false, reason: 'invalid_credentials' });
    await prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await verifyCredentials('cred@example.com', PASSWORD)).toEqual({ ok: false, reason: 'account_disabled' });
    expect(await verifyCredentials('cred@example.com', 'wrong password')).toEqual({ ok: false, reason: 'invalid_credentials' });
  });

  it('accepts a real session token, plain, __Secure- and chunked', async () => {
    const user = await createUser({ email: 'tok@example.com', password: PASSWORD, name: 'Tok' });
    const expected = { id: user.id, email: 'tok@example.com', name: 'Tok', role: 'admin' };
    expect(await getUserFromRequest(await requestFor(user))).toEqual(expected);
    expect(await getUserFromRequest(await requestFor(user, { name: '__Secure-authjs.session-token' }))).toEqual(expected);

    const token = await sessionToken(user);
    const half = Math.ceil(token.length / 2);
    const chunked = requestWithCookie(`${COOKIE}.1=${token.slice(half)}; ${COOKIE}.0=${token.slice(0, half)}`);
    expect(await getUserFromRequest(chunked)).toEqual(expected);
  });

  it('rejects missing, tampered, expired, foreign and mislabelled tokens', async () => {
    const user = await createUser({ email: 'bad@example.com', password: PASSWORD });
    const token = await sessionToken(user);
    const i = Math.floor(token.length / 2);
    const tampered = `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    const cases: Request[] = [
      new Request('http://127.0.0.1:3000/'),
      requestWithCookie(`${COOKIE}=${tampered}`),
      requestWithCookie(`${COOKIE}=not-a-jwt`),
      await requestFor(user, { maxAge: -60 }),
      await requestFor(user, { secret: 'some-other-secret-0123456789abcdef' }),
      // Encrypted for one cookie name (the key's salt), presented under the other.
      requestWithCookie(`__Secure-authjs.session-token=${token}`),
    ];
    for (const req of cases) expect(await getUserFromRequest(req)).toBeNull();
  });

  it('ends sessions of disabled, invalidated and deleted users', async () => {
    const user = await createUser({ email: 'end@example.com', password: PASSWORD });
    const req = await requestFor(user);
    expect(await getUserFromRequest(req)).not.toBeNull();

    await prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    forgetCachedUser(user.id);
    expect(await getUserFromRequest(req)).toBeNull();
    await prisma.user.update({ where: { id: user.id }, data: { disabled: false } });
    forgetCachedUser(user.id);
    expect(await getUserFromRequest(req)).not.toBeNull();

    await invalidateUserSessions(user.id);
    expect(await getUserFromRequest(req)).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(1);
    expect(await getUserFromRequest(await requestFor(user, { sessionVersion: 1 }))).not.toBeNull();

    await prisma.user.delete({ where: { id: user.id } });
    forgetCachedUser(user.id);
    expect(await getUserFromRequest(await requestFor(user, { sessionVersion: 1 }))).toBeNull();
  });

  it('answers API routes with 401 / 403 JSON', async () => {
    const admin = await createUser({ email: 'admin@example.com', password: PASSWORD });
    const member = await createUser({ email: 'member@example.com', password: PASSWORD });

    const signedOut = await apiUser(new Request('http://127.0.0.1:3000/api/x'));
    expect(signedOut).toBeInstanceOf(Response);
    expect((signedOut as Response).status).toBe(401);
    expect(await (signedOut as Response).json()).toEqual({ error: { code: 'unauthorized', retryable: false } });

    const forbidden = await apiAdmin(await requestFor(member));
    expect((forbidden as Response).status).toBe(403);
    expect(await (forbidden as Response).json()).toEqual({ error: { code: 'forbidden', retryable: false } });

    expect(await apiUser(await requestFor(member))).toMatchObject({ id: member.id, role: 'user' });
    expect(await apiAdmin(await requestFor(admin))).toMatchObject({ id: admin.id, role: 'admin' });
  });

  it('runs a read alongside the session check, and hands its value only to a live session', async () => {
    const user = await createUser({ email: 'along@example.com', password: PASSWORD });
    forgetCachedUser(user.id);
    // The session's own read is held up by an open transaction (PostgreSQL: a lock on "User"; PGlite runs
    // one transaction at a time): the read alongside must start anyway, with the token's user id.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = prisma.$transaction(
      async (tx) => {
        if (kind === 'postgres') await tx.$executeRawUnsafe('LOCK TABLE "User" IN ACCESS EXCLUSIVE MODE');
        else await tx.$executeRawUnsafe('SELECT 1');
        locked();
        await gate;
      },
      { timeout: 30_000 },
    );
    await isLocked;
    const started: string[] = [];
    const result = apiUserWith(await requestFor(user), async (id) => {
      started.push(id);
      return `month of ${id}`;
    });
    await vi.waitFor(() => expect(started).toEqual([user.id]), { timeout: 5_000 });
    open();
    await holder;
    const live = await result;
    expect(live).toEqual({ user: expect.objectContaining({ id: user.id, role: 'admin' }), value: expect.any(Promise) });
    expect(await (live as { value: Promise<string> }).value).toBe(`month of ${user.id}`);

    // Refused sessions get the route's answer, never the value; a failed read alongside them surfaces nowhere.
    const failing = async () => {
      throw new Error('not for a refused session');
    };
    await prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    forgetCachedUser(user.id);
    const disabled = await apiUserWith(await requestFor(user), failing);
    expect((disabled as Response).status).toBe(401);
    const throwsAtOnce = await apiUserWith(await requestFor(user), () => {
      throw new Error('thrown before any promise');
    });
    expect((throwsAtOnce as Response).status).toBe(401);
    const none: string[] = [];
    const signedOut = await apiUserWith(new Request('http://127.0.0.1:3000/api/x'), async (id) => none.push(id));
    expect((signedOut as Response).status).toBe(401);
    const tampered = await apiUserWith(requestWithCookie(`${COOKIE}=${(await sessionToken(user)).slice(0, -4)}AAAA`), async (id) => none.push(id));
    expect((tampered as Response).status).toBe(401);
    expect(none).toEqual([]);
  });

  it('measures the session check (printed, not asserted)', async () => {
    const user = await createUser({ email: 'perf@example.com', password: PASSWORD });
    const req = await requestFor(user);
    await getUserFromRequest(req);

    const hits = 20_000;
    let start = performance.now();
    for (let i = 0; i < hits; i++) await getUserFromRequest(req);
    const hit = (performance.now() - start) / hits;

    const rounds = 50;
    const fresh = await Promise.all(Array.from({ length: rounds }, () => requestFor(user)));
    start = performance.now();
    for (const r of fresh) expect(await getUserFromRequest(r)).not.toBeNull();
    const decodeMiss = (performance.now() - start) / rounds;

    let full = 0;
    for (const r of await Promise.all(Array.from({ length: rounds }, () => requestFor(user)))) {
      forgetCachedUser(user.id);
      start = performance.now();
      expect(await getUserFromRequest(r)).not.toBeNull();
      full += performance.now() - start;
    }
    console.log(
      `[${kind}] session check: cache hit ${micros(hit)} · token miss (decrypt, user cached) ${micros(decodeMiss)} · ` +
        `full miss (decrypt + user query) ${micros(full / rounds)}`,
    );
  });
});

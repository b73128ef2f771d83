// THE way routes and pages learn who is signed in. On the chat hot path, so every step is cached: the
// token decode (./token, up to 60 s), the user row check and the session's revocation check (here, 5 s
// each), which is what lets a disabled user, a bumped sessionVersion or a sign-out end sessions within
// seconds without a query per request. The instance that revokes updates its own cache at once.
import 'server-only';
import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { db } from '@/lib/db';
import { prepared } from '@/lib/db/statement-names';
import type { ApiErrorBody } from '@/lib/errors';
import { sameOriginOrResponse } from '@/lib/security/csrf';
import { processSingleton } from '@/lib/singleton';
import { ExpiringLru, sharedLoad } from './lru';
import { safeCallbackPath } from './redirects';
import { claimsFromCookieHeader, decodeSessionToken, findSessionCookie, type SessionClaims, sessionKey } from './token';
import type { SessionUser } from './types';

export type { SessionUser } from './types';

interface UserState {
  user: SessionUser;
  disabled: boolean;
  sessionVersion: number;
}

const USER_TTL_MS = 5_000;

interface UserCache {
  /** null = no such user (deleted); cached too, so a deleted user's token costs no query per request. */
  users: ExpiringLru<string, UserState | null>;
  /** Concurrent misses for one user share one query. */
  loading: Map<string, Promise<UserState | null>>;
}
// Kept on globalThis: Next.js loads this module once per bundle (route handlers, and pages with server
// actions, each get their own copy in one process), and forgetCachedUser() must reach every copy's cache.
const { users, loading } = processSingleton('auth.userCache', (): UserCache => ({ users: new ExpiringLru(10_000), loading: new Map() }));

async function loadUser(id: string): Promise<UserState | null> {
  const prisma = await db();
  const row = await prisma.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabled: true, sessionVersion: true, approved: true },
  });
  return row ? stateOf(row) : null;
}

type UserRow = Pick<SessionUser, 'id' | 'email' | 'name' | 'role'> & Pick<UserState, 'disabled' | 'sessionVersion'> & { approved: boolean };

function stateOf({ disabled, sessionVersion, approved, ...user }: UserRow): UserState {
  return { user: approved ? user : { ...user, pending: true }, disabled, sessionVersion };
}

/**
 * The user row and the session's revocation in one statement, for a request that finds neither cached
 * (on the chat hot path of anyone not chatting within the last seconds: two statements less a request).
 */
async function loadSession(id: string, key: string): Promise<{ state: UserState | null; revoked: boolean }> {
  const prisma = await db();
  const [row] = await prisma.$queryRaw<Array<Partial<UserRow> & { revoked: boolean }>>(prepared`
    SELECT u.id::text AS id, u.email, u.name, u.role::text AS role, u.disabled, u."sessionVersion", u.approved,
      EXISTS (SELECT 1 FROM "RevokedSession" WHERE sid = ${key}) AS revoked
    FROM (SELECT 1) AS one LEFT JOIN "User" u ON u.id = ${id}::uuid`);
  if (!row) return { state: null, revoked: false };
  const { revoked, ...user } = row;
  return { state: user.id ? stateOf(user as UserRow) : null, revoked };
}

function userState(id: string, loader: () => Promise<UserState | null> = () => loadUser(id)): Promise<UserState | null> | UserState | null {
  const cached = users.get(id);
  if (cached !== undefined) return cached;
  // Only the latest load may fill the cache: forgetCachedUser() during the query drops this one.
  return sharedLoad(loading, id, loader, (state) => users.set(id, state, Date.now() + USER_TTL_MS));
}

// Revoked sessions (sign-out): session key → revoked, cached like user rows and shared the same way.
interface RevokedCache {
  revoked: ExpiringLru<string, boolean>;
  loading: Map<string, Promise<boolean>>;
}
const revokedCache = processSingleton('auth.revokedCache', (): RevokedCache => ({ revoked: new ExpiringLru(10_000), loading: new Map() }));

const loadRevoked = (key: string): Promise<boolean> =>
  db()
    .then((prisma) => prisma.revokedSession.findUnique({ where: { sid: key }, select: { sid: true } }))
    .then((row) => row !== null);

function isRevoked(key: string, loader: () => Promise<boolean> = () => loadRevoked(key)): Promise<boolean> | boolean {
  const cached = revokedCache.revoked.get(key);
  if (cached !== undefined) return cached;
  return sharedLoad(revokedCache.loading, key, loader, (revoked) => revokedCache.revoked.set(key, revoked, Date.now() + USER_TTL_MS));
}

async function userForClaims(claims: SessionClaims | null): Promise<SessionUser | null> {
  if (!claims) return null;
  const { id } = claims;
  const key = sessionKey(claims);
  // Neither cached nor being read: one statement reads both (each cache is filled as by its own read).
  const both =
    key && users.get(id) === undefined && !loading.has(id) && revokedCache.revoked.get(key) === undefined && !revokedCache.loading.has(key)
      ? loadSession(id, key)
      : undefined;
  const [state, revoked] = await Promise.all([
    userState(id, both && (() => both.then((b) => b.state))),
    key ? isRevoked(key, both && (() => both.then((b) => b.revoked))) : false,
  ]);
  if (!state || state.disabled || state.sessionVersion !== claims.sessionVersion || revoked) return null;
  return state.user;
}

/**
 * A user by id as sessions see them (the same 5 s cache, so disabling reaches personal API keys as fast as
 * sessions): null when deleted or disabled; `pending` set while waiting for approval.
 */
export async function activeUser(id: string): Promise<SessionUser | null> {
  const state = await userState(id);
  return state && !state.disabled ? state.user : null;
}

/** Whether a token's claims still name a live session (Auth.js's own callbacks ask this too). */
export async function sessionIsLive(claims: SessionClaims): Promise<boolean> {
  return (await userForClaims(claims)) !== null;
}

/** The signed-in user of the current request (server components, server actions, route handlers). */
export async function getCurrentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  const cookie = findSessionCookie(new Map(jar.getAll().map((c) => [c.name, c.value])));
  return userForClaims(cookie ? await decodeSessionToken(cookie) : null);
}

/** The signed-in user of `req`, from its Cookie header. */
export async function getUserFromRequest(req: Request): Promise<SessionUser | null> {
  return userForClaims(await claimsFromCookieHeader(req.headers.get('cookie')));
}

function apiError(status: number, code: 'unauthorized' | 'forbidden' | 'account_pending'): Response {
  const body: ApiErrorBody = { error: { code, retryable: false } };
  return Response.json(body, { status });
}

/**
 * For route handlers: the user, or a 401 (or, for a cross-site write, 403) JSON response to return as is.
 * A user waiting for approval gets a 403 `account_pending` from every route.
 */
export async function apiUser(req: Request): Promise<SessionUser | Response> {
  const result = await apiUserWith(req, async () => undefined);
  return result instanceof Response ? result : result.user;
}

/**
 * apiUser, with `alongside(userId)` started as soon as the token (ours, intact, unexpired) names its user,
 * while the session is being confirmed live: a read that needs only the id (the quota) costs no round trip
 * of its own. Its promise comes back only with the confirmed user (to await with whatever else the route
 * needs); for a refused request it is dropped.
 */
export async function apiUserWith<T>(
  req: Request,
  alongside: (userId: string) => Promise<T>,
): Promise<{ user: SessionUser; value: Promise<T> } | Response> {
  const crossSite = sameOriginOrResponse(req);
  if (crossSite) return crossSite;
  const claims = await claimsFromCookieHeader(req.headers.get('cookie'));
  // A promise even if `alongside` throws at once; observed here, so a refused request's failure goes nowhere.
  const early = claims ? new Promise<T>((resolve) => resolve(alongside(claims.id))) : undefined;
  early?.catch(() => undefined);
  const user = await userForClaims(claims);
  if (!user || !early) return apiError(401, 'unauthorized');
  if (user.pending) return apiError(403, 'account_pending');
  return { user, value: early };
}

/** For admin route handlers: the admin, or a 401/403 JSON response to return as is. */
export async function apiAdmin(req: Request): Promise<SessionUser | Response> {
  const user = await apiUser(req);
  if (user instanceof Response || user.role === 'admin') return user;
  return apiError(403, 'forbidden');
}

/**
 * For pages and server actions: the user, or a redirect to sign-in that comes back to `callbackPath`
 * (the page's own path; the proxy already handles most signed-out visits with the exact URL).
 */
export async function requireUser(callbackPath = '/'): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(safeCallbackPath(callbackPath))}`);
  // Waiting for an admin's approval: the waiting page is all there is (every page and server action).
  if (user.pending) redirect(PENDING_PATH);
  return user;
}

/** The page a user waiting for approval sees instead of any other. */
export const PENDING_PATH = '/pending';

/** For admin pages: non-admins get a 404, so the admin area does not announce itself. */
export async function requireAdmin(callbackPath = '/'): Promise<SessionUser> {
  const user = await requireUser(callbackPath);
  if (user.role !== 'admin') notFound();
  return user;
}

/** Drops this process's cached row for the user, so the next request reads it again (e.g. after a role change). */
export function forgetCachedUser(userId: string): void {
  users.delete(userId);
  loading.delete(userId);
}

/** Ends every session of the user (password change, disabling): their tokens carry the old version. */
export async function invalidateUserSessions(userId: string): Promise<void> {
  const prisma = await db();
  await prisma.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  forgetCachedUser(userId);
}

/**
 * Ends one session on the server (sign-out): its id is listed until every token of it has expired, and
 * this process refuses it at once (other instances within their cache's 5 s). Expired rows are cleared
 * on the way.
 */
export async function revokeSession(claims: { id: string; sid?: string; jti?: string }, maxAgeSeconds: number): Promise<void> {
  const key = sessionKey(claims);
  if (!key) return;
  revokedCache.loading.delete(key);
  revokedCache.revoked.set(key, true, Date.now() + USER_TTL_MS);
  const prisma = await db();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + maxAgeSeconds * 1000);
  // A user deleted meanwhile has no sessions left to end (the foreign key refuses the row).
  if ((await prisma.user.count({ where: { id: claims.id } })) === 0) return;
  await prisma.revokedSession.createMany({ data: [{ sid: key, userId: claims.id, expiresAt }], skipDuplicates: true });
  await prisma.revokedSession.deleteMany({ where: { expiresAt: { lt: now } } });
}

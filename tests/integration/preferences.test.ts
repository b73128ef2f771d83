// A user's defaults (account page): stored per user through the page's server action, validated, and used —
// the custom instructions reach Kimi (the simulator) as the system message ahead of the chat's own prompt
// and are counted by the context meter; the default model is what a new chat starts on, with a notice once
// it is no longer served. Real route handlers, PGlite, the simulator over HTTP.
import type { ReactElement } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChatHarness, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { cookieJar, requestState } from '../support/next-headers';

vi.mock('next/headers', async () => (await import('../support/next-headers')).nextHeadersModule());

const SESSION_COOKIE = 'authjs.session-token';
let h: ChatHarness;
let alice: Who;
let bob: Who;

function as(who: Who): void {
  cookieJar.clear();
  cookieJar.set(SESSION_COOKIE, who.cookie.slice(who.cookie.indexOf('=') + 1));
  requestState.headers = new Headers({ cookie: who.cookie });
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

async function save(fields: Record<string, string>) {
  const { savePreferencesAction } = await import('@/app/(chat)/account/preferences-actions');
  return savePreferencesAction({ status: 'idle' }, form({ customInstructions: '', defaultModel: '', theme: 'system', ...fields }));
}

beforeAll(async () => {
  h = await openChatHarness('pglite');
  alice = await h.signedIn(`alice-${crypto.randomUUID()}@example.com`);
  bob = await h.signedIn(`bob-${crypto.randomUUID()}@example.com`);
});
afterAll(async () => h?.close());

describe('defaults on the account page', () => {
  it('stores them for the session user only, and sets the theme cookie', async () => {
    as(alice);
    const outcome = await save({ customInstructions: '  Answer like a pirate.\r\n', defaultModel: 'kimi-k3', theme: 'dark', userId: bob.id });
    expect(outcome).toEqual({ status: 'success', theme: 'dark' });
    expect(await h.prisma.userPreference.findUnique({ where: { userId: alice.id } })).toMatchObject({
      customInstructions: 'Answer like a pirate.',
      defaultModel: 'kimi-k3',
      theme: 'dark',
    });
    expect(await h.prisma.userPreference.findUnique({ where: { userId: bob.id } })).toBeNull();
    expect(cookieJar.get('theme')).toBe('dark');
  });

  it('refuses instructions over the limit, an unknown theme and a model the endpoint does not serve, writing nothing', async () => {
    as(alice);
    const before = await h.prisma.userPreference.findUniqueOrThrow({ where: { userId: alice.id } });
    expect(await save({ customInstructions: 'x'.repeat(4_001) })).toEqual({ status: 'error', error: 'instructions_too_long', count: 4_001 });
    expect(await save({ theme: 'sepia' })).toEqual({ status: 'error', error: 'invalid' });
    expect(await save({ defaultModel: 'kimi-k2.5' })).toEqual({ status: 'error', error: 'model_not_served' });
    expect(await h.prisma.userPreference.findUniqueOrThrow({ where: { userId: alice.id } })).toEqual(before);
  });

  it('a signed-out caller is sent to sign in and nothing is written', async () => {
    cookieJar.clear();
    requestState.headers = new Headers();
    await expect(save({ customInstructions: 'nope' })).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/sign-in/) });
    expect(await h.prisma.userPreference.count({ where: { customInstructions: 'nope' } })).toBe(0);
  });
});

describe('custom instructions in the turn', () => {
  it('reach Kimi as the system message, before the chat’s own prompt, and the meter counts them', async () => {
    as(alice);
    const { contextBudget } = await import('@/lib/chat/context-budget');
    const id = crypto.randomUUID();
    h.sim.clearRequests();
    await h.turn(alice, id, 'hello there', 'kimi-k2.6', { systemPrompt: 'Be brief.', thinking: false });
    let sent = h.sim.requests().find((r) => r.stream)!;
    let messages = sent.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content).toBe('Answer like a pirate.\n\nBe brief.');
    const withInstructions = await contextBudget(alice.id, id, 'kimi-k2.6');

    // Without a chat prompt the instructions are the whole system message; bob has none at all.
    h.sim.clearRequests();
    await h.turn(alice, crypto.randomUUID(), 'second chat', 'kimi-k2.6', { thinking: false });
    messages = h.sim.requests().find((r) => r.stream)!.messages as Array<{ role: string; content: string }>;
    expect(messages[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' });
    h.sim.clearRequests();
    await h.turn(bob, crypto.randomUUID(), 'bob asks', 'kimi-k2.6', { thinking: false });
    sent = h.sim.requests().find((r) => r.stream)!;
    expect((sent.messages as Array<{ role: string }>).map((m) => m.role)).toEqual(['user']);

    // Cleared: the next turn of the same chat sends the chat's prompt alone, and the meter drops by the difference.
    await save({ customInstructions: '', defaultModel: 'kimi-k3', theme: 'dark' });
    const without = await contextBudget(alice.id, id, 'kimi-k2.6');
    expect(withInstructions!.systemTokens).toBeGreaterThan(without!.systemTokens);
    h.sim.clearRequests();
    await h.turn(alice, id, 'and again', 'kimi-k2.6', { systemPrompt: 'Be brief.', thinking: false });
    messages = h.sim.requests().find((r) => r.stream)!.messages as Array<{ role: string; content: string }>;
    expect(messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });
});

describe('the default model', () => {
  const newChatSettings = async () => {
    const { default: NewChatPage } = await import('@/app/(chat)/page');
    const element = (await NewChatPage()) as ReactElement<{ initialSettings: { model: string }; unavailableDefault?: string }>;
    return { model: element.props.initialSettings.model, unavailable: element.props.unavailableDefault };
  };

  it('is what a new chat starts on; the instance default for users without one', async () => {
    as(alice);
    expect(await newChatSettings()).toEqual({ model: 'kimi-k3', unavailable: undefined });
    as(bob);
    expect(await newChatSettings()).toEqual({ model: 'auto', unavailable: undefined });
  });

  it('falls back to the instance default, naming the lost one, when the endpoint no longer serves it', async () => {
    await h.prisma.userPreference.update({ where: { userId: alice.id }, data: { defaultModel: 'kimi-k2.5' } });
    as(alice);
    expect(await newChatSettings()).toEqual({ model: 'auto', unavailable: 'kimi-k2.5' });
  });
});

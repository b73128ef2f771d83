// The quota check on the chat hot path keeps each user's month cached for a few seconds and adds this
// process's own usage rows to it, instead of querying again after every turn. The cached month must stay
// exactly what the database says, and a write must not force a query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatHarness, openChatHarness, type Who } from '../support/chat-harness';

describe('quota cache', () => {
  let h: ChatHarness;
  let alice: Who;

  beforeAll(async () => {
    h = await openChatHarness('pglite');
    alice = await h.signedIn('quota-cache@example.com');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('grows by every usage row this process writes, to the exact totals the database holds', async () => {
    const { cachedMonthUsage, monthUsage } = await import('@/lib/usage/quota');
    await cachedMonthUsage(alice.id); // cached before the first turn
    // First turns also write a title row; thinking models report reasoning tokens; today's models have prices.
    const conversation = crypto.randomUUID();
    await h.turn(alice, conversation, 'Please reply with 30 tokens', 'kimi-k2.6');
    await h.turn(alice, conversation, 'And 12 more tokens', 'kimi-k3', { reasoningEffort: 'low' });
    await h.turn(alice, crypto.randomUUID(), 'A second chat, 7 tokens', 'kimi-k2.6', { thinking: false });

    const cached = await cachedMonthUsage(alice.id);
    const fresh = await monthUsage(h.prisma, alice.id);
    expect(fresh?.requests).toBeGreaterThanOrEqual(5); // three answers and two titles
    expect(fresh?.reasoningTokens).toBeGreaterThan(0n);
    expect(Number(fresh?.cost)).toBeGreaterThan(0);
    expect(cached).toEqual(fresh);
  });

  const send = (text: string) =>
    h.post(alice, {
      id: crypto.randomUUID(),
      trigger: 'submit-message',
      message: h.userMessage(text),
      settings: h.settings('kimi-k2.6', { thinking: false }),
    });

  it('a turn does not make the next check query again: usage from elsewhere shows after the cache expires', async () => {
    const { cachedMonthUsage, forgetQuota, monthUsage } = await import('@/lib/usage/quota');
    await h.prisma.user.update({ where: { id: alice.id }, data: { monthlyTokenLimit: 1_000_000 } });
    forgetQuota(alice.id);
    const before = await cachedMonthUsage(alice.id);
    // Another instance records a million tokens for Alice: this process learns of it within the TTL.
    const today = new Date(new Date().toISOString().slice(0, 10));
    await h.prisma.usageDaily.update({
      where: { userId_day_currency: { userId: alice.id, day: today, currency: before!.currency } },
      data: { promptTokens: { increment: 1_000_000 } },
    });

    const res = await send('Please reply with 5 tokens');
    expect(res.status).toBe(200);
    await res.text();
    // Had the write dropped the cached month, this check would have read the million and refused.
    const second = await send('Please reply with 5 tokens');
    expect(second.status).toBe(200);
    await second.text();
    const cached = await cachedMonthUsage(alice.id);
    expect(cached!.requests).toBeGreaterThan(before!.requests);
    expect(cached!.promptTokens).toBeLessThan(1_000_000n);

    // Once expired (or forgotten, as after a limit change), the database's total counts.
    forgetQuota(alice.id);
    const refused = await send('One more');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('user_quota_exceeded');
    expect(await cachedMonthUsage(alice.id)).toEqual(await monthUsage(h.prisma, alice.id));
  });
});

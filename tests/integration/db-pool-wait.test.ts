// At a busy minute every pooled connection can be in use for longer than Prisma's default 2 s maxWait: the
// turn's save (answer + ledger row, one batch transaction) must wait for a connection, not fail and lose both.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordUsage } from '@/lib/usage/ledger';
import { type ChatHarness, openChatHarness } from '@/tests/support/chat-harness';

let h: ChatHarness;
beforeAll(async () => {
  h = await openChatHarness('postgres');
}, 120_000);
afterAll(() => h?.close());

it('a ledger write waits for a busy pool (all 10 connections held 3 s) instead of failing after 2 s', async () => {
  const prisma = h.prisma;
  const user = await h.signedIn('pool-wait@example.com');
  // Hold every connection of the pool (lib/db/adapters.ts: 10) for 3 s.
  const held = Array.from({ length: 10 }, () => prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1 AS n FROM pg_sleep(3)`, { timeout: 10_000 }));
  await new Promise((r) => setTimeout(r, 300));
  const started = Date.now();
  await recordUsage({
    userId: user.id,
    purpose: 'chat',
    requestedModel: 'kimi-k2.6',
    servedModel: 'kimi-k2.6',
    promptTokens: 10,
    cachedTokens: 0,
    completionTokens: 5,
    reasoningTokens: 0,
    cost: '0',
    currency: 'CNY',
    durationMs: 100,
    outcome: 'ok',
  });
  expect(Date.now() - started).toBeGreaterThan(2_000);
  await Promise.all(held);
  expect(await prisma.usage.count({ where: { userId: user.id } })).toBe(1);
}, 60_000);

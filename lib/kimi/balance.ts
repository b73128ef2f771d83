// The account's balance (GET /users/me/balance), for the admin page. null when Kimi cannot be reached.
import 'server-only';
import { z } from 'zod';
import { config } from '@/lib/config';
import type { Currency } from './catalog';
import { kimiJson } from './http';

export interface Balance {
  available: number;
  voucher: number;
  /** May be negative. */
  cash: number;
  currency: Currency;
}

const balanceSchema = z.object({
  data: z.object({ available_balance: z.number(), voucher_balance: z.number(), cash_balance: z.number() }),
});

const TTL_MS = 60_000;
const TIMEOUT_MS = 2_000;

let cached: { at: number; value: Promise<Balance | null> } | undefined;

export function getBalance(): Promise<Balance | null> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const value = fetchBalance();
  cached = { at: Date.now(), value };
  return value;
}

async function fetchBalance(): Promise<Balance | null> {
  try {
    const { data } = await kimiJson('/users/me/balance', { schema: balanceSchema, timeoutMs: TIMEOUT_MS });
    return { available: data.available_balance, voucher: data.voucher_balance, cash: data.cash_balance, currency: config().kimi.currency };
  } catch {
    return null;
  }
}

/** For tests and after a top-up. */
export function invalidateBalance(): void {
  cached = undefined;
}

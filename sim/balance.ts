// Account balance: spent per completion at the catalog's rates (voucher first, then cash, which may go negative).
import type { Currency, ModelInfo } from '../lib/kimi/catalog';
import type { LoggedUsage } from './log';

/** Cost of one completion; models without a price in `currency` cost 0. */
export function completionCost(model: ModelInfo, usage: LoggedUsage, currency: Currency): number {
  const rates = model.prices[currency];
  if (!rates) return 0;
  const cached = usage.cached_tokens;
  const uncached = usage.prompt_tokens - cached;
  return (cached * (rates.cacheHit ?? rates.input) + uncached * rates.input + usage.completion_tokens * rates.output) / 1_000_000;
}

export class Balance {
  constructor(
    private voucher: number,
    private cash: number,
  ) {}

  get available(): number {
    return this.voucher + this.cash;
  }

  spend(amount: number): void {
    const fromVoucher = Math.min(Math.max(this.voucher, 0), amount);
    this.voucher -= fromVoucher;
    this.cash -= amount - fromVoucher;
  }

  toJSON() {
    return {
      code: 0,
      data: { available_balance: this.available, voucher_balance: this.voucher, cash_balance: this.cash },
      scode: '0x0',
      status: true,
    };
  }
}

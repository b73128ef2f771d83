// Everything the admin usage page reads from the database: two queries in parallel, one per rollup (one
// function, so the benchmark measures exactly what the page costs).
import type { PrismaClient } from '@/lib/db/generated/client';
import { type DayModelPoint, type ModelRow, modelView, type Totals, type UserRow, userView } from '@/lib/usage/aggregates';
import type { Period } from '@/lib/usage/period';

export const USER_ROWS = 200;

export interface UsagePageData {
  totals: Totals;
  models: ModelRow[];
  users: UserRow[];
  days: DayModelPoint[];
}

export async function loadUsagePage(prisma: PrismaClient, period: Period, currency: string): Promise<UsagePageData> {
  const [models, users] = await Promise.all([modelView(prisma, period, currency), userView(prisma, period, USER_ROWS)]);
  return { totals: { ...models.totals, activeUsers: users.activeUsers }, models: models.models, users: users.users, days: models.days };
}

// `npm run usage:seed -- [--users N] [--rows N] [--days N]`: synthetic usage in the configured database
// (DATABASE_URL, else the PGlite folder in DATA_DIR), for load tests of the admin pages.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { config } from '../lib/config';
import { closeDb, db } from '../lib/db';
import { seedUsage } from '../lib/usage/seed';

const { values } = parseArgs({ options: { users: { type: 'string' }, rows: { type: 'string' }, days: { type: 'string' } } });
const options = z
  .object({
    users: z.coerce.number().int().min(1).max(1_000_000).default(100),
    rows: z.coerce.number().int().min(1).max(100_000_000).default(1_000_000),
    days: z.coerce.number().int().min(1).max(3650).default(90),
  })
  .parse(values);

const started = performance.now();
await seedUsage(await db(), { ...options, currency: config().kimi.currency });
console.log(
  `Seeded ${options.rows} usage rows for ${options.users} users over ${options.days} days in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
);
await closeDb();

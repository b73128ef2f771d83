// GET /api/health through the app's own db(): up on a live database, 503 once it is gone.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET } from '@/app/api/health/route';
import { resetConfigForProcess } from '@/lib/config';
import { closeDb } from '@/lib/db';
import { createTestDatabase, type TestDatabase } from '../support/db';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  await database.close();
  delete process.env.DATA_DIR;
  Object.assign(process.env, database.env);
  resetConfigForProcess();
});

afterAll(async () => {
  await closeDb();
  await database?.cleanup();
});

it('answers 200 while the database is up and 503 once it is gone', async () => {
  const up = await GET();
  expect(up.status).toBe(200);
  expect(await up.json()).toEqual({ ok: true, db: 'up' });

  await closeDb();
  await database.cleanup(); // drops the database: the next open fails
  const down = await GET();
  expect(down.status).toBe(503);
  expect(await down.json()).toEqual({ ok: false, db: 'down' });
});

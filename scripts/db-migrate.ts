// `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, else the
// embedded one in DATA_DIR) and says what it applied. The app does the same at start.
import { config } from '../lib/config';
import { openDatabase } from '../lib/db';

async function main(): Promise<void> {
  const dbConfig = config().database;
  const where = dbConfig.kind === 'postgres' ? new URL(dbConfig.url).host + new URL(dbConfig.url).pathname : dbConfig.dataDir;
  const database = await openDatabase(dbConfig);
  try {
    if (database.appliedMigrations.length === 0) console.log(`Database ${where} is up to date.`);
    else console.log(`Applied to ${where}:\n${database.appliedMigrations.map((m) => `  ${m}`).join('\n')}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && error.name === 'DataDirLockedError' ? error.message : error);
  process.exit(1);
});

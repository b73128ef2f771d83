// End-to-end tests: Chromium (Debian's, or Playwright's own via CHROMIUM_PATH) against the real app
// started by `npm start`'s script in keyless mode, with the simulator in-process on a known port so
// tests can read its request log and queue faults.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { runtimeProblem } from './scripts/runtime';
import { CHROMIUM_LAUNCH } from './tests/support/chromium';

// The runner, and through PATH the server it starts, run on the project's Node (scripts/runtime.ts).
const tooOld = runtimeProblem();
if (tooOld) throw new Error(tooOld);

const PORT = Number(process.env.E2E_PORT ?? 3210);
const SIM_PORT = Number(process.env.E2E_SIM_PORT ?? 3211);
// Evaluated in the runner and in each worker: the env var keeps them on one folder.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'kimi-chat-e2e-'));
process.env.E2E_SIM_ORIGIN = `http://127.0.0.1:${SIM_PORT}`;

export default defineConfig({
  testDir: 'tests/e2e',
  // A test, whole: several sign-ins, answers and page loads; a busy 2-core CI machine runs them at a third of the speed.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'en-US',
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: {
    command: 'npx tsx scripts/start.ts',
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: process.env.E2E_DATA_DIR,
      MOONSHOT_API_KEY: '',
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
      SIMULATOR_PORT: String(SIM_PORT),
      // Slow enough to see an answer arrive in pieces, stop it and reload mid-stream; fast enough for CI.
      SIMULATOR_TTFT_MS: '150',
      SIMULATOR_TOKENS_PER_SECOND: '120',
      AUTH_URL: `http://127.0.0.1:${PORT}`,
      // Every test signs up from 127.0.0.1; the per-email sign-in limit keeps its default (security.spec).
      RATE_LIMIT_SIGN_UP_PER_HOUR: '10000',
      RATE_LIMIT_SIGN_IN_PER_MINUTE: '10000',
      // Every spec signs up users that chat at once; access.spec switches to approval on the admin page and back.
      SIGNUP_POLICY: 'open',
    },
  },
});

// `npm run bench`: every benchmark in one run (ratios are only meaningful within a run on this shared
// machine), printed as a table and written to bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchChatOverhead } from './chat-overhead.bench';
import { benchSimulator } from './sim.bench';
import type { BenchResult } from './types';

const only = process.argv.slice(2);
const benches: Record<string, () => Promise<BenchResult>> = {
  sim: benchSimulator,
  chat: benchChatOverhead,
  load: () => import('./load.bench').then((m) => m.benchLoad()),
  documents: () => import('./documents.bench').then((m) => m.benchDocuments()),
  admin: () => import('./admin-usage.bench').then((m) => m.benchAdminUsage()),
  gateway: () => import('./gateway.bench').then((m) => m.benchGateway()),
  thread: () => import('./thread.bench').then((m) => m.benchThread()),
  capacity: () => import('./capacity.bench').then((m) => m.benchCapacity()),
  search: () => import('./search.bench').then((m) => m.benchSearch()),
};

const results: BenchResult[] = [];
for (const [key, run] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(key)) continue;
  console.log(`\n▶ ${key}`);
  const result = await run();
  results.push(result);
  console.log(result.name);
  for (const [metric, value] of Object.entries(result.metrics)) console.log(`  ${metric.padEnd(32)} ${value}`);
  if (result.notes) console.log(`  (${result.notes})`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
process.exit(0);

// Entry of the document-extraction worker (lib/documents/sandbox.ts). Plain JavaScript, loaded from the
// source tree by path — never bundled by Next.js — so it works the same under `next start`, `next dev`,
// the start script and tests. It teaches the worker TypeScript (tsx, a dependency) and loads the
// extractor, whose code is shared with the simulator and the tests.
import { register } from 'tsx/esm/api';

register();
await import('./extract-worker.ts');

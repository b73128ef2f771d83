// Runs inside the extraction worker (see ../sandbox.ts): reads the file named by the job from disk and
// answers with the extraction, or with the DocumentError's code and params. Anything else thrown is
// reported as an internal failure; the worker itself keeps running for the next job.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { detectType } from '../detect';
import { DocumentError } from '../errors';
import { extractText } from '../extract';
import type { WorkerReply, WorkerRequest } from './protocol';

if (!parentPort) throw new Error('extract-worker must run in a worker thread');
const port = parentPort;

async function run(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const bytes = await readFile(request.path);
    if (request.kind === 'detect') return { id: request.id, ok: true, kind: 'detect', mediaType: detectType(request.name, bytes).mediaType };
    const { text, mediaType, pages } = await extractText(request.name, bytes);
    return { id: request.id, ok: true, kind: 'extract', text, mediaType, pages };
  } catch (error) {
    if (error instanceof DocumentError) return { id: request.id, ok: false, code: error.code, params: error.params, detail: error.message };
    return { id: request.id, ok: false, internal: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

port.on('message', (request: WorkerRequest) => {
  void run(request).then((reply) => port.postMessage(reply));
});
port.postMessage({ ready: true });

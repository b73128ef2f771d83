// The Node the project runs on: `engines` names the oldest supported line, and the `node` package pinned in
// dependencies (its binary is node_modules/.bin/node, first on PATH in every npm script and npx) is the
// primary runtime, so a machine whose system Node is older still runs the app and the tests on it.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: { node: string };
};

/** The oldest Node major `engines` allows (`>=24` → 24). */
export const MIN_NODE_MAJOR = Number(/^>=(\d+)$/.exec(pkg.engines.node)?.[1]);
/** The pinned runtime's version, e.g. `26.10.0`. */
export const PINNED_NODE_VERSION = pkg.dependencies.node;

export function nodeMajor(version = process.versions.node): number {
  return Number(version.split('.')[0]);
}

/** Why this Node cannot run the app, or null when it can. */
export function runtimeProblem(version = process.versions.node): string | null {
  if (nodeMajor(version) >= MIN_NODE_MAJOR) return null;
  return `Node ${version} is older than ${MIN_NODE_MAJOR}: run through npm (npm start, npm test, npx …), which uses the project's Node ${PINNED_NODE_VERSION} from node_modules/.bin`;
}

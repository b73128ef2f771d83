// Library entry: `import { startSimulator } from '../sim'`.

export type { LoggedRequest, LoggedUsage } from './log';
export type { CatalogMode } from './models';
export type { RateLimit, SimulatorOptions, UsageShape } from './options';
export { type Simulator, startSimulator } from './server';

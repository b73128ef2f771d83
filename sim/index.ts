// Library entry: `import { startSimulator } from '../sim'`.
export { startSimulator, type Simulator } from './server';
export type { SimulatorOptions, RateLimit, UsageShape } from './options';
export type { CatalogMode } from './models';
export type { LoggedRequest, LoggedUsage } from './log';

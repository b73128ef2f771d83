import { gatewaySuite } from './gateway.suite';

// The Next.js route (what `npm run dev` serves); the other suites take the node:http hot path.
gatewaySuite('pglite', 'route');

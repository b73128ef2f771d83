import { gatewaySuite } from './gateway.suite';

gatewaySuite('pglite');

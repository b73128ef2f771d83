import { gatewaySuite } from './gateway.suite';

gatewaySuite('postgres');

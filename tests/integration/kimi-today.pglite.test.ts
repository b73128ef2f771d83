import { kimiTodaySuite } from './kimi-today.suite';

kimiTodaySuite('pglite');

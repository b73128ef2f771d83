import { kimiTodaySuite } from './kimi-today.suite';

kimiTodaySuite('postgres');

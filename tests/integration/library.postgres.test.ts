import { librarySuite } from './library.suite';

librarySuite('postgres');

import { threadPagesSuite } from './thread-pages.suite';

threadPagesSuite('pglite');

import { threadPagesSuite } from './thread-pages.suite';

threadPagesSuite('postgres');

import { webSearchSuite } from './web-search.suite';

webSearchSuite('postgres');

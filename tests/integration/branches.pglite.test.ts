import { branchesSuite } from './branches.suite';

branchesSuite('pglite');

import { branchesSuite } from './branches.suite';

branchesSuite('postgres');

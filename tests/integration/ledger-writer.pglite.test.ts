import { ledgerWriterSuite } from './ledger-writer.suite';

ledgerWriterSuite('pglite');

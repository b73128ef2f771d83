import { ledgerWriterSuite } from './ledger-writer.suite';

ledgerWriterSuite('postgres');

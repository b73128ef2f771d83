import { chatApiSuite } from './chat-api.suite';

chatApiSuite('postgres');

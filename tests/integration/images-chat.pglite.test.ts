import { imagesChatSuite } from './images-chat.suite';

imagesChatSuite('pglite');

import { imagesChatSuite } from './images-chat.suite';

imagesChatSuite('postgres');

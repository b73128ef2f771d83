// The English catalog is the reference: every other language has exactly its keys (checked by types).
// One file per room, so work on different features does not collide.
import { account } from './account';
import { admin } from './admin';
import { apiKeys } from './api-keys';
import { auth } from './auth';
import { chat } from './chat';
import { common } from './common';
import { documents } from './documents';
import { errors } from './errors';
import { library } from './library';
import { preferences } from './preferences';
import { shortcuts } from './shortcuts';
import { images, webSearch } from './web-search';

export const en = { common, auth, chat, errors, documents, admin, account, webSearch, images, apiKeys, preferences, shortcuts, library };
export type Messages = typeof en;

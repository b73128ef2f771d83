import type { Catalog } from '../../translate';
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

export const zh: Catalog = { common, auth, chat, errors, documents, admin, account, webSearch, images, apiKeys, preferences, shortcuts, library };

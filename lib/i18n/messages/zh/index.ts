import type { Catalog } from '../../translate';
import { auth } from './auth';
import { chat } from './chat';
import { common } from './common';
import { errors } from './errors';

export const zh: Catalog = { common, auth, chat, errors };

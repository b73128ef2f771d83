// The English catalog is the reference: every other language has exactly its keys (checked by types).
// One file per room, so work on different features does not collide.
import { auth } from './auth';
import { chat } from './chat';
import { common } from './common';
import { errors } from './errors';

export const en = { common, auth, chat, errors };
export type Messages = typeof en;

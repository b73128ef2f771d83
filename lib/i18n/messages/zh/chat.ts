import type { Catalog } from '../../translate';
import type { chat as en } from '../en/chat';

export const chat: Catalog<typeof en> = {
  placeholder: '占位',
};

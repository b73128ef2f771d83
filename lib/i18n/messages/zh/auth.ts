import type { Catalog } from '../../translate';
import type { auth as en } from '../en/auth';

export const auth: Catalog<typeof en> = {
  placeholder: '占位',
};

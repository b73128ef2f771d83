import type { Catalog } from '../../translate';
import type { errors as en } from '../en/errors';

export const errors: Catalog<typeof en> = {
  placeholder: '占位',
};

import { SelfCheckVerdict } from '../../api';

/** The answer in words, for each verdict. */
export const VERDICT_TEXT: Record<
  SelfCheckVerdict,
  { title: string; status: 'success' | 'warning' | 'danger' | 'info' }
> = {
  allowed: { title: 'You can get in', status: 'success' },
  'allowed-if-context': {
    title: 'You can get in only from a context that meets the access levels',
    status: 'warning',
  },
  denied: { title: 'You cannot get in', status: 'danger' },
  unknown: {
    title: 'The portal cannot tell whether you get in',
    status: 'info',
  },
};

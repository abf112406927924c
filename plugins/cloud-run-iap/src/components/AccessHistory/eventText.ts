import { AccessEvent } from '../../api';

const EVENT_KIND_TEXT: Record<AccessEvent['kind'], string> = {
  change: 'Access changed',
  request: 'Access requested',
  approve: 'Request approved',
  deny: 'Request denied',
  expire: 'Access expired',
  'request-expired': 'Request lapsed',
};

/** "Request approved" for `approve`; the kind itself for one this version does not know. */
export function eventKindText(kind: AccessEvent['kind']): string {
  return EVENT_KIND_TEXT[kind] ?? kind;
}

import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useState } from 'react';
import {
  AccessRequest,
  classifyCloudRunIapError,
  CloudRunIapErrorInfo,
  cloudRunIapApiRef,
  NewAccessRequest,
} from '../../api';

type RequestState =
  | { status: 'idle' }
  | { status: 'sending' }
  | { status: 'sent'; request: AccessRequest }
  | { status: 'failed'; error: CloudRunIapErrorInfo };

/** Sends an access request for the signed-in user and keeps its outcome. */
export function useRequestAccess(entityRef: CompoundEntityRef) {
  const api = useApi(cloudRunIapApiRef);
  const [state, setState] = useState<RequestState>({ status: 'idle' });
  const { kind, namespace, name } = entityRef;
  const send = useCallback(
    async (request: NewAccessRequest) => {
      setState({ status: 'sending' });
      try {
        const created = await api.requestAccess(
          { kind, namespace, name },
          request,
        );
        setState({ status: 'sent', request: created });
        return created;
      } catch (error) {
        setState({ status: 'failed', error: classifyCloudRunIapError(error) });
        return undefined;
      }
    },
    [api, kind, namespace, name],
  );
  return { state, send };
}

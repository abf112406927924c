import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useState } from 'react';
import {
  classifyCloudRunIapError,
  CloudRunIapErrorInfo,
  cloudRunIapApiRef,
  SelfCheckRequest,
  SelfCheckResult,
} from '../../api';

type CheckState =
  | { status: 'idle' }
  | { status: 'checking'; last?: SelfCheckResult }
  | { status: 'done'; result: SelfCheckResult }
  | { status: 'failed'; error: CloudRunIapErrorInfo };

/** "Why can't I get in?": asks the backend about the signed-in user's own access. */
export function useMyAccessCheck(entityRef: CompoundEntityRef) {
  const api = useApi(cloudRunIapApiRef);
  const [state, setState] = useState<CheckState>({ status: 'idle' });
  const { kind, namespace, name } = entityRef;
  const check = useCallback(
    async (context: SelfCheckRequest) => {
      setState(current => ({
        status: 'checking',
        last: current.status === 'done' ? current.result : undefined,
      }));
      try {
        const result = await api.checkMyAccess(
          { kind, namespace, name },
          context,
        );
        setState({ status: 'done', result });
      } catch (error) {
        setState({ status: 'failed', error: classifyCloudRunIapError(error) });
      }
    },
    [api, kind, namespace, name],
  );
  return { state, check };
}

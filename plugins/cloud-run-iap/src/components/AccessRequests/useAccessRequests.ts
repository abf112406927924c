import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  AccessDecision,
  AccessRequest,
  AccessRequestList,
  classifyCloudRunIapError,
  CloudRunIapApi,
  CloudRunIapErrorInfo,
  cloudRunIapApiRef,
} from '../../api';

/**
 * Loads a list of access requests with `load` (re-run when `key` changes) and decides them.
 * A decision reloads the list (and runs `onDecided`); its failure stays next to the request
 * it was about.
 */
export function useAccessRequests(
  load: (api: CloudRunIapApi) => Promise<AccessRequestList>,
  key: string,
  onDecided?: () => void,
) {
  const api = useApi(cloudRunIapApiRef);
  // `load` is keyed by `key`, so a new closure with the same key does not reload.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const list = useAsyncRetry(() => load(api), [api, key]);
  const [deciding, setDeciding] = useState<string>();
  const [failures, setFailures] = useState<
    Record<string, CloudRunIapErrorInfo>
  >({});
  const { retry } = list;
  const decide = useCallback(
    async (request: AccessRequest, decision: AccessDecision) => {
      setDeciding(request.id);
      try {
        await api.decideAccessRequest(request.id, decision);
        setFailures(({ [request.id]: _, ...rest }) => rest);
        onDecided?.();
      } catch (error) {
        setFailures(current => ({
          ...current,
          [request.id]: classifyCloudRunIapError(error),
        }));
      } finally {
        setDeciding(undefined);
        retry();
      }
    },
    [api, retry, onDecided],
  );
  return {
    loading: list.loading,
    error: list.error ? classifyCloudRunIapError(list.error) : undefined,
    requests: list.value?.items,
    retry,
    decide,
    deciding,
    failures,
  };
}

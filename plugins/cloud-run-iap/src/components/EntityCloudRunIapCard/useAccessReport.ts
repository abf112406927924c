import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { cloudRunIapApiRef } from '../../api';

/**
 * Loads the access report of an entity. `retry` asks again (the backend may answer from its
 * cache), `refresh` asks the backend to go to Google. While reloading, the last report stays.
 */
export function useAccessReport(ref: CompoundEntityRef) {
  const api = useApi(cloudRunIapApiRef);
  const [request, setRequest] = useState({ count: 0, refresh: false });
  const { kind, namespace, name } = ref;
  const state = useAsync(
    () => api.getAccessReport({ kind, namespace, name }, request),
    [api, kind, namespace, name, request],
  );
  const retry = useCallback(
    () => setRequest(r => ({ count: r.count + 1, refresh: false })),
    [],
  );
  const refresh = useCallback(
    () => setRequest(r => ({ count: r.count + 1, refresh: true })),
    [],
  );
  return { ...state, retry, refresh };
}

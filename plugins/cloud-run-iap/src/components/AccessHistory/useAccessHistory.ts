import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { classifyCloudRunIapError, cloudRunIapApiRef } from '../../api';

/** The access history of one app (an entity ref), newest first, from the plugin's database. */
export function useAccessHistory(entityRef: string) {
  const api = useApi(cloudRunIapApiRef);
  const state = useAsyncRetry(async () => {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return (await api.getAccessHistory({ kind, namespace, name })).items;
  }, [api, entityRef]);
  return {
    loading: state.loading,
    error: state.error ? classifyCloudRunIapError(state.error) : undefined,
    events: state.value,
    retry: state.retry,
  };
}

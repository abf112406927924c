import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { classifyCloudRunIapError, cloudRunIapApiRef } from '../../api';

/** The access levels IAP can use in the project's organisation, for the level checkboxes. */
export function useAccessLevelOptions(projectId: string) {
  const api = useApi(cloudRunIapApiRef);
  const state = useAsync(
    () => api.getAccessLevels(projectId),
    [api, projectId],
  );
  return {
    options: state.value?.accessLevels,
    error: state.error
      ? classifyCloudRunIapError(state.error).message
      : undefined,
  };
}

import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  unownedServiceRows,
  unownedServicesFilter,
} from './unownedServiceRows';

/** The entity fields a row reads. */
const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.labels',
  'metadata.annotations',
  'spec.type',
  'spec.owner',
];

/**
 * The discovered services owned by `owner` that are linked to no entity or have IAP off, read
 * from the catalog with the signed-in user's credentials; `retry` asks again.
 */
export function useUnownedServices(owner: string) {
  const catalogApi = useApi(catalogApiRef);
  const [attempt, setAttempt] = useState(0);
  const state = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: unownedServicesFilter(owner),
      fields: FIELDS,
    });
    return unownedServiceRows(items);
  }, [catalogApi, owner, attempt]);
  const retry = useCallback(() => setAttempt(a => a + 1), []);
  return { ...state, retry };
}

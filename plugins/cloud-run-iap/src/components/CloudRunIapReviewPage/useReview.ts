import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { cloudRunIapApiRef } from '../../api';

/** The signed-in user's ownership refs, groups first: the owners they can pick by default. */
export function useOwnerChoices() {
  const identityApi = useApi(identityApiRef);
  return useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    const refs = identity.ownershipEntityRefs ?? [];
    const groups = refs.filter(r => r.startsWith('group:'));
    return [...groups, ...refs.filter(r => !r.startsWith('group:'))];
  }, [identityApi]);
}

/** The review of one owner, by accessor or by person; `retry` or a new `reloadKey` asks again. */
export function useReview(
  owner: string | undefined,
  byPerson = false,
  reloadKey = 0,
) {
  const api = useApi(cloudRunIapApiRef);
  const [count, setCount] = useState(0);
  const state = useAsync(async () => {
    if (!owner) return undefined;
    return byPerson
      ? api.getReview(owner, { expand: 'people' })
      : api.getReview(owner);
  }, [api, owner, byPerson, count, reloadKey]);
  const retry = useCallback(() => setCount(c => c + 1), []);
  return { ...state, retry };
}
